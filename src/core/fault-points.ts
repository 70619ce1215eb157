/**
 * Fault points: deliberate bugs in the training core's own code paths, each behind a named
 * switch that is off in every real run. properties/faults.test.ts turns them on one at a time
 * and shows that a law fails on the code that trains, so "every law catches a fault" is a
 * statement about src/core, not about a stand-in (the failpoints of etcd's gofail and TiKV's
 * fail-rs, reduced to a name and a boolean). Each point names the law that must catch it.
 * A switch is read once per call or step, never per element: off, it costs nothing measurable.
 */

/** Every fault point: what the bug is, and the law that must catch it. */
export const FAULT_POINTS = {
  // activations.ts: the fast engine's derivative from the output, and the forward pass
  "activations/sigmoid-derivative-too-large": { law: "sigmoid-derivative", fault: "the fast engine's σ' is h(1 + 2⁻¹⁰ − h) instead of h(1 − h)" },
  "activations/tanh-derivative-abs": { law: "tanh-derivative", fault: "the fast engine's tanh' is 1 − |h| instead of 1 − h²" },
  "activations/relu-derivative-one": { law: "relu-derivative", fault: "the fast engine's relu' is 1 everywhere" },
  "activations/leaky-relu-slopes-swapped": { law: "leaky-relu-derivative", fault: "the fast engine's leakyRelu' is α above 0 and 1 below" },
  "activations/elu-derivative-both-sides": { law: "elu-derivative", fault: "the fast engine's elu' is h + α on both sides of 0" },
  "activations/selu-derivative-alpha-lost": { law: "selu-derivative", fault: "the fast engine's selu' below 0 is h + λ (α forgotten)" },
  "activations/sigmoid-as-linear": { law: "sigmoid-chain-bound", fault: "activate computes sigmoid layers as the identity" },
  "activations/relu-leaks": { law: "relu-orthogonal-chain", fault: "activate computes relu as leakyRelu(0.1)" },
  // initializers.ts
  "initializers/constant-bfloat16": { law: "compounding-factors", fault: "constant initial values rounded to bfloat16" },
  "initializers/uniform-limit-sqrt2": { law: "initializer-moments", fault: "uniform draws within ±√(2·Var) instead of ±√(3·Var)" },
  "initializers/uniform-drawn-normal": { law: "initializer-distribution", fault: "uniform initializers draw from a normal of the same variance" },
  "initializers/glorot-with-he-variance": { law: "glorot-condition", fault: "Glorot initializers use He's variance 2/n_in" },
  "initializers/gain-doubled": { law: "variance-through-depth", fault: "variance-scaling initializers draw with twice the gain" },
  "initializers/normal-ignores-stddev": { law: "bad-init-through-depth", fault: "randomNormal ignores its stddev and scales to Glorot's variance" },
  "initializers/zeros-leave-noise": { law: "zero-init-symmetry", fault: "'zeros' leaves uniform noise of 1e-6" },
  // clipping.ts (the autodiff engine's clipping)
  "clipping/global-norm-skips-last": { law: "clip-by-global-norm", fault: "clipByGlobalNorm leaves the last tensor unscaled" },
  "clipping/non-finite-to-zero": { law: "clip-non-finite", fault: "clipByGlobalNorm scales by 0 instead of NaN when the norm is not finite" },
  "clipping/norm-squared": { law: "clip-by-norm", fault: "clipByNorm scales by c/‖t‖² instead of c/‖t‖" },
  "clipping/value-upper-only": { law: "clip-by-value", fault: "clipByValue clamps only from above" },
  // batchnorm.ts and the forward pass
  "batchnorm/unbiased-variance": { law: "batchnorm-train-moments", fault: "batch norm divides the variance by m − 1" },
  "batchnorm/not-centered": { law: "batchnorm-invariance", fault: "batch norm forgets to subtract the mean" },
  "batchnorm/no-epsilon": { law: "batchnorm-constant-feature", fault: "batch norm without ε" },
  "batchnorm/moving-momentum-swapped": { law: "batchnorm-moving-average", fault: "moving averages with momentum and 1 − momentum swapped" },
  "batchnorm/inference-uses-batch": { law: "batchnorm-inference", fault: "inference mode normalizes with the batch's own statistics" },
  "batchnorm/mean-without-gradient": { law: "batchnorm-input-gradient", fault: "batch norm's mean is a constant in backprop" },
  // model.ts
  "model/init-not-from-seed": { law: "backend-agreement", fault: "createModel draws from an unseeded stream, so two runs differ" },
  // global-norm.ts (G as the autodiff engine records it)
  "global-norm/float32-left-to-right": { law: "global-norm-precision", fault: "G² summed left to right in float32 (tf.sum of g²), unscaled" },
  // gradients.ts
  "gradients/ten-percent-large": { law: "gradient-check", fault: "lossAndGradients returns gradients 10% too large" },
  // the engines: optimizers, clipping on the update, the recorder, the fast engine's batch norm
  "fast/momentum-one-minus-mu": { law: "engine-optimizer-step", fault: "the fast engine's momentum accumulates (1 − μ)·g instead of g" },
  "fast/nesterov-ignored": { law: "engine-optimizer-step", fault: "the fast engine's momentum ignores Nesterov" },
  "fast/adam-no-bias-correction": { law: "engine-optimizer-step", fault: "the fast engine's Adam steps by lr, without bias correction" },
  "fast/adam-betas-swapped": { law: "engine-optimizer-step", fault: "the fast engine's Adam with β1 and β2 swapped" },
  "optimizers/sgd-half-step": { law: "engine-optimizer-step", fault: "the tfjs-op SGD steps by lr/2" },
  "optimizers/nesterov-ignored": { law: "engine-optimizer-step", fault: "the tfjs-op momentum ignores Nesterov" },
  "optimizers/adam-no-bias-correction": { law: "engine-optimizer-step", fault: "the tfjs-op Adam steps by lr, without bias correction" },
  "fast/clip-factor-not-applied": { law: "engine-clipping", fault: "the fast engine's clipping factor is never applied to the update" },
  "fast/clip-norm-squared": { law: "engine-clipping", fault: "the fast engine clips by norm with ‖g‖² instead of ‖g‖" },
  "fast/clip-value-no-lower-bound": { law: "engine-clipping", fault: "the fast engine's clip-by-value loses its lower bound" },
  "autodiff/clipped-gradients-unused": { law: "engine-clipping", fault: "the autodiff engine applies the unclipped gradients" },
  "autodiff/recorder-signed-mean": { law: "engine-recorded-statistics", fault: "the autodiff engine records mean(g) instead of mean(|g|)" },
  "fast/recorder-signed-mean": { law: "engine-recorded-statistics", fault: "the fast engine records mean(g) instead of mean(|g|)" },
  "fast/recorder-clipped-from-raw": { law: "engine-recorded-statistics", fault: "the fast engine records the norms after clipping from the unclipped gradients" },
  "fast/batchnorm-backward-no-projection": { law: "engine-batch-norm", fault: "the fast engine's batch-norm backward drops the x̂·Σ(dy·x̂) term" },
  "fast/batchnorm-moving-swapped": { law: "engine-batch-norm", fault: "the fast engine's moving averages swap momentum and 1 − momentum" },
} as const satisfies Record<string, { law: string; fault: string }>;

export type FaultPoint = keyof typeof FAULT_POINTS;

let active: FaultPoint | null = null;

/**
 * Whether a fault point is switched on (never, outside a fault test).
 *
 * @example
 * const lrT = fault("fast/adam-no-bias-correction") ? lr : adamStepSize(lr, b1, b2, t);
 */
export function fault(point: FaultPoint): boolean {
  return active === point;
}

/**
 * Runs `body` with one fault point switched on, and switches it off after, whatever happens.
 *
 * @example
 * const result = await withFaultPoint("fast/nesterov-ignored", () => checkLaw(law, "cpu", options));
 */
export async function withFaultPoint<T>(point: FaultPoint, body: () => Promise<T>): Promise<T> {
  if (!(point in FAULT_POINTS)) throw new Error(`withFaultPoint: no fault point ${JSON.stringify(point)}`);
  if (active !== null) throw new Error(`withFaultPoint: ${active} is already switched on`);
  active = point;
  try {
    return await body();
  } finally {
    active = null;
  }
}
