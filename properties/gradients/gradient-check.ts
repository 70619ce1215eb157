/**
 * Law: the core's gradients (lossAndGradients, tfjs autodiff) are the derivative of the
 * loss the core computes: for generated small nets — depth 1–6, any activation, with or
 * without batch norm, either loss — the directional derivative g·d agrees with a central
 * difference of the float32 loss along d, for a random unit direction d and along the
 * gradient itself (which makes a gradient off by a factor stand out).
 *
 * Float32 makes this delicate. Along the line φ(t) = L(θ + t·d):
 *  - the step is h = ∛ε·max(1, max|θ|): the central difference errs by h²·|φ'''|/6 (truncation)
 *    plus 2ε_L/(2h) (each float32 loss value is off by up to ε_L), smallest for h ∝ ∛(ε_L/|φ'''|);
 *  - ε_L is a running error bound of this very forward pass (tolerance.ts `lossRoundingError`);
 *  - the truncation error is estimated à la Richardson from differences at halving steps,
 *    once two successive ratios show the asymptotic regime (see `richardson`): a loss sharply
 *    curved on a scale below h (batch norm over a few rows) sends h down until it resolves;
 *  - θ + t·d is rounded to float32 when assigned: each φ(t) is corrected to first order by
 *    g·(Δ − t·d) for the displacement Δ actually applied;
 *  - where a ReLU-like kink (relu, leaky relu, elu, selu) lies within ±2h, Taylor's theorem
 *    does not apply and the input is discarded (fast-check's precondition).
 */
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import {
  type ActivationSpec, createModel, disposeModel, forward, type LayerSpec, loss as lossOf, lossAndGradients, type LossName, type Model,
  type ModelSpec, Rng, SELU_ALPHA, SELU_LAMBDA, type StepFunction,
} from "../../src/core/mod.ts";
import { seed32 } from "../_internals/arbitraries.ts";
import { fmt, isClose } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { normals } from "../_internals/model.ts";
import { defineLaw, type Law } from "../law.ts";
import { F32_EPS, type BackendTolerance, lossRoundingError, type TracedLayer } from "../tolerance.ts";

const activations = fc.constantFrom<ActivationSpec>(
  { name: "sigmoid" }, { name: "tanh" }, { name: "relu" }, { name: "leakyRelu", alpha: 0.2 }, { name: "elu", alpha: 1 },
  { name: "elu", alpha: 0.5 }, { name: "selu" }, { name: "linear" },
);

/**
 * Batch norm's ε here. BN's loss curves on the scale √ε in the weights feeding a feature of
 * small variance (at ε = 1e-3, a few hundredths: no wider than the difference step), and
 * 1/√(σ² + ε) amplifies rounding; ε = 0.1 keeps the curvature on a scale a float32 central
 * difference resolves. The gradient's formula does not depend on ε's size; the batch-norm
 * laws cover small ε.
 */
const BN_EPSILON = 0.1;

interface Net {
  inputs: number;
  widths: number[];
  activation: ActivationSpec;
  batchNorm: boolean;
  useBias: boolean;
  loss: LossName;
  rows: number;
  seed: number;
}

const nets: fc.Arbitrary<Net> = fc.record({
  inputs: fc.integer({ min: 1, max: 6 }),
  hidden: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 5 }),
  outputs: fc.integer({ min: 2, max: 4 }),
  activation: activations,
  batchNorm: fc.boolean(),
  useBias: fc.boolean(),
  loss: fc.constantFrom<LossName>("mse", "softmaxCrossEntropy", "sparseSoftmaxCrossEntropy"),
  rows: fc.integer({ min: 2, max: 8 }),
  seed: seed32(),
}).map(({ hidden, outputs, ...rest }) => ({ ...rest, widths: [...hidden, outputs] }));

function specOf(net: Net): ModelSpec {
  return {
    inputSize: net.inputs,
    layers: net.widths.map((units, i): LayerSpec => {
      const last = i === net.widths.length - 1;
      return {
        units,
        activation: last ? { name: "linear" } : net.activation,
        kernelInitializer: { name: "glorotNormal", gain: 1.5 },
        useBias: net.useBias,
        ...(net.useBias ? { biasInitializer: { name: "randomUniform" as const, limit: 0.5 } } : {}),
        ...(net.batchNorm && !last ? { batchNorm: { momentum: 0.9, epsilon: BN_EPSILON } } : {}),
      };
    }),
  };
}

/** max |f'| of an activation, whether its kernel is a polynomial approximation, its range, and whether it has a kink. */
function activationTraits(a: ActivationSpec): { lipschitz: number; transcendental: boolean; range: number; kinked: boolean } {
  switch (a.name) {
    case "sigmoid": return { lipschitz: 0.25, transcendental: true, range: 1, kinked: false };
    case "tanh": return { lipschitz: 1, transcendental: true, range: 1, kinked: false };
    case "linear": return { lipschitz: 1, transcendental: false, range: 0, kinked: false };
    case "relu": return { lipschitz: 1, transcendental: false, range: 0, kinked: true };
    case "leakyRelu": return { lipschitz: Math.max(1, a.alpha), transcendental: false, range: 0, kinked: true };
    case "elu": return { lipschitz: Math.max(1, a.alpha), transcendental: true, range: a.alpha, kinked: true };
    case "selu": return { lipschitz: SELU_LAMBDA * SELU_ALPHA, transcendental: true, range: SELU_LAMBDA * SELU_ALPHA, kinked: true };
  }
}

/** The loss at the model's current parameters, the signs of every kinked pre-activation, and the trace for the error bound. */
async function evaluate(model: Model, net: Net, x: tf.Tensor2D, targets: tf.Tensor2D, withTrace: boolean) {
  const kept = tf.tidy(() => {
    const { output, trace } = forward(model, x, "train", { trace: true });
    return { loss: lossOf(net.loss, output, targets), pre: trace.map((t) => t.preActivation), outputs: trace.map((t) => t.output) };
  });
  const value = (await kept.loss.data())[0];
  const kinked = activationTraits(net.activation).kinked;
  const signs: number[] = [];
  const layers: { input: Float32Array; output: Float32Array }[] = [];
  for (let i = 0; i < kept.pre.length; i++) {
    if (kinked && i < kept.pre.length - 1) for (const v of await kept.pre[i].data()) signs.push(Math.sign(v));
    if (withTrace) {
      const input = (await (i === 0 ? x : kept.outputs[i - 1]).data()) as Float32Array;
      layers.push({ input, output: (await kept.outputs[i].data()) as Float32Array });
    }
  }
  tf.dispose([kept.loss, ...kept.pre, ...kept.outputs]);
  return { value, signs, layers };
}

async function lossBound(bt: BackendTolerance, net: Net, model: Model, traced: { input: Float32Array; output: Float32Array }[], targets: Float32Array, value: number) {
  const traits = activationTraits(net.activation);
  const layers: TracedLayer[] = [];
  for (const [i, units] of net.widths.entries()) {
    const n = i + 1;
    const param = async (role: string) => {
      const p = model.parameters.find((q) => q.layer === n && q.role === role);
      return p ? ((await p.variable.data()) as Float32Array) : undefined;
    };
    const last = i === net.widths.length - 1;
    const gammaV = await param("gamma"), betaV = await param("beta");
    const t = last ? activationTraits({ name: "linear" }) : traits;
    layers.push({
      fanIn: i === 0 ? net.inputs : net.widths[i - 1],
      fanOut: units,
      input: traced[i].input,
      output: traced[i].output,
      kernel: (await param("kernel"))!,
      ...(net.useBias ? { bias: await param("bias") } : {}),
      ...(gammaV && betaV ? { batchNorm: { gamma: gammaV, beta: betaV, epsilon: BN_EPSILON } } : {}),
      lipschitz: t.lipschitz,
      transcendental: t.transcendental,
      range: t.range,
    });
  }
  return lossRoundingError(bt, { rows: net.rows, loss: net.loss, layers, output: traced[traced.length - 1].output, targets, value });
}

/**
 * A central difference with a trustworthy truncation estimate. D(h) = φ' + c·h² + O(h⁴), so
 * in the asymptotic regime successive differences d_j = D(h_{j−1}) − D(h_j) at halving steps
 * shrink 4× each, and |d_j|/3 estimates D(h_j)'s error (Richardson; doubled here). Steps
 * h_j = 2h₀/2^j are tried until two successive ratios d_{j−1}/d_j lie in [2, 8] — the regime
 * is asymptotic, the estimate can be believed — and the level with the smaller total error
 * estimate (truncation + rounding εL/h) is returned. A loss that is sharp on a scale below h₀
 * (batch norm over two rows…) shows as erratic ratios and sends h down until it resolves.
 * If no level is asymptotic down to h₀/2^11 the differences are rounding noise (a loss
 * quadratic along d, where the difference has no truncation error at all): the level whose
 * change is smallest is returned.
 */
async function richardson(difference: (h: number) => Promise<number>, h0: number, eL: number): Promise<{ fd: number; h: number; truncation: number }> {
  const steps: number[] = [], values: number[] = [];
  const change = (j: number) => values[j - 1] - values[j];
  const asymptotic = (ratio: number) => ratio >= 2 && ratio <= 8;
  const level = (j: number) => ({ fd: values[j], h: steps[j], truncation: (2 * Math.abs(change(j))) / 3 });
  for (let j = 0; j <= 12; j++) {
    steps.push((2 * h0) / 2 ** j);
    values.push(await difference(steps[j]));
    if (j >= 3 && asymptotic(change(j - 2) / change(j - 1)) && asymptotic(change(j - 1) / change(j))) {
      const [a, b] = [level(j - 1), level(j)];
      return a.truncation + eL / a.h <= b.truncation + eL / b.h ? a : b;
    }
  }
  let best = 1;
  for (let j = 2; j < values.length; j++) if (Math.abs(change(j)) < Math.abs(change(best))) best = j;
  return level(best);
}

/**
 * The law, for a loss-and-gradients implementation (the core's `lossAndGradients` unless a fault is planted).
 *
 * @example
 * const law = gradientCheck();
 */
export function gradientCheck(step: StepFunction = lossAndGradients): Law {
  return defineLaw({
    name: "gradient-check",
    group: "gradients",
    statement: "For small nets (depth 1–6, any activation, with or without batch norm, MSE or softmax cross-entropy), the core's " +
      "gradient agrees with a float32 central difference of the core's loss along a random direction and along the gradient.",
    runs: 30,
    tolerance: () => ({
      rule: "|FD − g·d| ≤ ε_L/h + 2·|D(h) − D(2h)|/3 (+ 2^-20·|g|·|d| for the gradient's own rounding); steps 2h₀/2^j from h₀ = ∛ε·max(1, max|θ|) " +
        "until two successive Richardson ratios lie in [2, 8] (asymptotic regime); ε_L a running error bound of the forward pass",
      values: { fdStep: Math.cbrt(F32_EPS) },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(nets, async (net) => {
        const rng = new Rng(net.seed);
        const model = createModel(specOf(net), rng.fork("init"));
        const outputs = net.widths[net.widths.length - 1];
        const xv = normals(rng.fork("x"), net.rows * net.inputs);
        const yv = net.loss === "mse" ? normals(rng.fork("y"), net.rows * outputs) : new Float32Array(net.rows * outputs);
        if (net.loss !== "mse") {
          const classRng = rng.fork("classes");
          for (let i = 0; i < net.rows; i++) yv[i * outputs + classRng.int(outputs)] = 1;
        }
        const x = tf.tensor2d(xv, [net.rows, net.inputs]);
        const targets = tf.tensor2d(yv, [net.rows, outputs]);
        const theta = await Promise.all(model.parameters.map(async (p) => Float32Array.from(await p.variable.data())));
        try {
          const r = step(model, x, targets, net.loss);
          const grads = await Promise.all(r.gradients.map(async (g) => (await g.data()) as Float32Array));
          tf.dispose([r.loss, r.output, ...r.gradients, ...r.batchStats.flatMap((s) => [s.mean, s.variance])]);

          const base = await evaluate(model, net, x, targets, true);
          const eL = await lossBound(bt, net, model, base.layers, yv, base.value);
          let maxAbs = 0;
          for (const t of theta) for (const v of t) maxAbs = Math.max(maxAbs, Math.abs(v));
          const h0 = Math.cbrt(F32_EPS) * Math.max(1, maxAbs);

          const random = theta.map((t) => Float64Array.from(t, () => rng.normal()));
          const gradient = grads.map((g) => Float64Array.from(g));
          for (const [name, raw] of [["a random direction", random], ["the gradient's direction", gradient]] as const) {
            let len = 0;
            for (const d of raw) for (const v of d) len += v * v;
            if (!(len > 0)) continue;
            const d = raw.map((a) => a.map((v) => v / Math.sqrt(len)));
            let gd = 0, gdAbs = 0;
            grads.forEach((g, p) => g.forEach((gi, i) => {
              gd += gi * d[p][i];
              gdAbs += Math.abs(gi * d[p][i]);
            }));
            // φ(s) at the displacement s·d actually applied (θ + s·d rounded to float32), corrected to first order.
            const phiAt = async (step: number) => {
              let correction = 0;
              tf.tidy(() => model.parameters.forEach((p, k) => {
                const moved = Float32Array.from(theta[k], (v, i) => v + step * d[k][i]);
                moved.forEach((v, i) => (correction += grads[k][i] * (v - theta[k][i] - step * d[k][i])));
                p.variable.assign(tf.tensor(moved, p.variable.shape));
              }));
              const at = await evaluate(model, net, x, targets, false);
              fc.pre(at.signs.every((sign, i) => sign === base.signs[i]));
              return at.value - correction;
            };
            const difference = async (step: number) => ((await phiAt(step)) - (await phiAt(-step))) / (2 * step);
            const { fd, h, truncation } = await richardson(difference, h0, eL);
            const allowed = eL / h + truncation + 2 ** -20 * gdAbs;
            expect(isClose(fd, gd, { rtol: 0, atol: allowed }), () =>
              `along ${name}: g·d = ${fmt(gd)}, but the central difference is ${fmt(fd)} (|diff| ${fmt(Math.abs(fd - gd))} > ${fmt(allowed)}: ` +
              `rounding ${fmt(eL / h)}, truncation ${fmt(truncation)}; h = ${fmt(h)}, loss ${fmt(base.value)})`);
            tf.tidy(() => model.parameters.forEach((p, k) => p.variable.assign(tf.tensor(theta[k], p.variable.shape))));
          }
        } finally {
          tf.dispose([x, targets]);
          disposeModel(model);
        }
      }),
  });
}
