/**
 * Stand-in faults: for every law that takes the implementation under test, an implementation
 * with a realistic bug, and the law built around it. faults.test.ts checks that each law fails
 * on its stand-in, and also on the faults planted in src/core's own code paths
 * (src/core/fault-points.ts), which every law has.
 */
import * as tf from "@tensorflow/tfjs-core";
import { chosenBackend } from "../../src/backend/mod.ts";
import {
  activate, type ActivationSpec, createModel, forward, initialValues, initializerDistribution, type InitializerSpec, lossAndGradients,
  type Model, type ModelSpec, parameterOf, prepareEngine, type Rng, SELU_LAMBDA, type StepFunction,
} from "../../src/core/mod.ts";
import { eluDerivative } from "../activations/elu-derivative.ts";
import { leakyReluDerivative } from "../activations/leaky-relu-derivative.ts";
import { reluDerivative } from "../activations/relu-derivative.ts";
import { seluDerivative } from "../activations/selu-derivative.ts";
import { sigmoidDerivative } from "../activations/sigmoid-derivative.ts";
import { tanhDerivative } from "../activations/tanh-derivative.ts";
import { backendAgreement, computeOn } from "../backends/backend-agreement.ts";
import { batchNormConstantFeature } from "../batch-norm/batchnorm-constant-feature.ts";
import { batchNormInference } from "../batch-norm/batchnorm-inference.ts";
import { batchNormInputGradient } from "../batch-norm/batchnorm-input-gradient.ts";
import { batchNormInvariance } from "../batch-norm/batchnorm-invariance.ts";
import { batchNormMovingAverage } from "../batch-norm/batchnorm-moving-average.ts";
import { batchNormTrainMoments } from "../batch-norm/batchnorm-train-moments.ts";
import { clipByGlobalNormLaw } from "../clipping/clip-by-global-norm.ts";
import { clipByNormLaw } from "../clipping/clip-by-norm.ts";
import { clipByValueLaw } from "../clipping/clip-by-value.ts";
import { clipNonFinite } from "../clipping/clip-non-finite.ts";
import { compoundingFactors } from "../depth/compounding-factors.ts";
import { reluOrthogonalChain } from "../depth/relu-orthogonal-chain.ts";
import { sigmoidChainBound } from "../depth/sigmoid-chain-bound.ts";
import { gradientCheck } from "../gradients/gradient-check.ts";
import { globalNormPrecision } from "../gradients/global-norm-precision.ts";
import { badInitThroughDepth } from "../initializers/bad-init-through-depth.ts";
import { glorotCondition } from "../initializers/glorot-condition.ts";
import { initializerDistributionLaw } from "../initializers/initializer-distribution.ts";
import { initializerMoments } from "../initializers/initializer-moments.ts";
import { varianceThroughDepth } from "../initializers/variance-through-depth.ts";
import { zeroInitSymmetry } from "../initializers/zero-init-symmetry.ts";
import type { Law } from "../law.ts";
import type { Activate, ForwardPass } from "../implementations.ts";
import type { BatchNormTrain } from "./batches.ts";

/** A law built around a planted fault, and the fault in words. */
export interface PlantedFault {
  law: Law;
  fault: string;
}

// ─── activations ────────────────────────────────────────────────────────────────────────

/** The core's activation, except that `name`'s derivative is replaced by `derivative(x, y)`. */
function withDerivative(name: ActivationSpec["name"], derivative: (x: tf.Tensor, y: tf.Tensor, spec: ActivationSpec) => tf.Tensor): Activate {
  return (spec, z) => {
    if (spec.name !== name) return activate(spec, z);
    const f = tf.customGrad((x, save) => {
      const y = activate(spec, x as tf.Tensor);
      (save as tf.GradSaveFunc)([x as tf.Tensor, y]);
      return { value: y, gradFunc: (dy: tf.Tensor, [xs, ys]: tf.Tensor[]) => tf.mul(dy, derivative(xs, ys, spec)) };
    });
    return f(z);
  };
}

/** Every activation with derivative 1 (a straight-through estimator), for the chain laws' forward passes. */
const straightThrough: Activate = (spec, z) => {
  const f = tf.customGrad((x) => ({ value: activate(spec, x as tf.Tensor), gradFunc: (dy: tf.Tensor) => dy }));
  return f(z);
};

/** The core's dense forward pass (no batch norm) with another activation implementation. */
function forwardWith(act: Activate): ForwardPass {
  return (model, x) => {
    let h: tf.Tensor2D = x;
    model.spec.layers.forEach((layer, i) => {
      const kernel = parameterOf(model, i + 1, "kernel")!;
      const bias = parameterOf(model, i + 1, "bias");
      let z = tf.matMul(h, kernel) as tf.Tensor2D;
      if (bias) z = tf.add(z, bias);
      h = act(layer.activation, z) as tf.Tensor2D;
    });
    return h;
  };
}

// ─── initializers and models ────────────────────────────────────────────────────────────

/** createModel, then every kernel rewritten by `f(values, fanIn, fanOut, spec)`. */
function rewriteKernels(f: (w: Float32Array, fanIn: number, fanOut: number, init: InitializerSpec) => Float32Array) {
  return (spec: ModelSpec, rng: Rng): Model => {
    const model = createModel(spec, rng);
    tf.tidy(() => model.parameters.filter((p) => p.role === "kernel").forEach((p) => {
      const [fanIn, fanOut] = p.variable.shape;
      const w = f(p.variable.dataSync() as Float32Array, fanIn, fanOut, spec.layers[p.layer - 1].kernelInitializer);
      p.variable.assign(tf.tensor(w, p.variable.shape));
    }));
    return model;
  };
}

/** Rounds to bfloat16 (the top 16 bits of a float32, round to nearest). */
function bfloat16(w: Float32Array): Float32Array {
  const out = Float32Array.from(w);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) bits[i] = (bits[i] + 0x8000) & 0xffff0000;
  return out;
}

// ─── batch norm ─────────────────────────────────────────────────────────────────────────

/** A training-mode BN written like the core's, with the parts a fault changes. */
function batchNormVariant(options: { divisor?: (m: number) => number; center?: boolean; epsilon?: boolean; meanGradient?: boolean }): BatchNormTrain {
  return (x, gamma, beta, epsilon) => {
    const m = x.shape[0];
    const meanOf = options.meanGradient === false
      ? tf.customGrad((t) => ({ value: tf.mean(t as tf.Tensor, 0), gradFunc: () => tf.zerosLike(t as tf.Tensor) }))
      : (t: tf.Tensor) => tf.mean(t, 0);
    const mean = meanOf(x) as tf.Tensor1D;
    const centered = tf.sub(x, mean);
    const variance = tf.div(tf.sum(tf.square(centered), 0), (options.divisor ?? ((k) => k))(m)) as tf.Tensor1D;
    const scale = tf.rsqrt(options.epsilon === false ? variance : tf.add(variance, epsilon));
    const normalized = tf.mul(options.center === false ? x : centered, scale);
    return { output: tf.add(tf.mul(normalized, gamma), beta) as tf.Tensor2D, mean, variance };
  };
}

// ─── gradients ──────────────────────────────────────────────────────────────────────────

/** lossAndGradients with every gradient multiplied by a factor. */
function scaledGradients(factor: number): StepFunction {
  return (model, x, targets, loss) => {
    const r = lossAndGradients(model, x, targets, loss);
    const gradients = r.gradients.map((g) => tf.mul(g, factor));
    tf.dispose(r.gradients);
    return { ...r, gradients };
  };
}

/**
 * Every law with a planted fault.
 *
 * @example
 * for (const { law, fault } of plantedFaults()) console.log(law.name, fault);
 */
export function plantedFaults(): PlantedFault[] {
  return [
    {
      fault: "σ' computed 0.1% too large (σ(1−σ)·(1 + 2^-10))",
      law: sigmoidDerivative(withDerivative("sigmoid", (_x, y) => tf.mul(tf.mul(y, tf.sub(1, y)), 1 + 2 ** -10))),
    },
    { fault: "tanh' computed as 1 − |tanh| instead of 1 − tanh²", law: tanhDerivative(withDerivative("tanh", (_x, y) => tf.sub(1, tf.abs(y)))) },
    { fault: "relu' = 1 everywhere (a straight-through estimator)", law: reluDerivative(withDerivative("relu", (x) => tf.onesLike(x))) },
    {
      fault: "leakyRelu' with the slopes swapped (α for x > 0, 1 below)",
      law: leakyReluDerivative(withDerivative("leakyRelu", (x, _y, spec) => tf.where(tf.greater(x, 0), tf.fill(x.shape, (spec as { alpha: number }).alpha), tf.onesLike(x)))),
    },
    { fault: "elu' computed as y + 1 on both sides of 0", law: eluDerivative(withDerivative("elu", (_x, y) => tf.add(y, 1))) },
    {
      fault: "selu' = λ·e^x below 0 (α forgotten)",
      law: seluDerivative(withDerivative("selu", (x) => tf.where(tf.greater(x, 0), tf.fill(x.shape, SELU_LAMBDA), tf.mul(SELU_LAMBDA, tf.exp(x))))),
    },
    { fault: "sigmoid backpropagates as the identity (straight-through)", law: sigmoidChainBound(forwardWith(straightThrough)) },
    { fault: "relu backpropagates as the identity (straight-through)", law: reluOrthogonalChain(forwardWith(straightThrough)) },
    { fault: "weights stored in bfloat16", law: compoundingFactors(rewriteKernels(bfloat16)) },
    {
      fault: "uniform initializers drawn within ±√(2·Var) instead of ±√(3·Var)",
      law: initializerMoments((spec, count, fanIn, fanOut, rng) => {
        const d = initializerDistribution(spec, fanIn, fanOut);
        if (d.kind !== "uniform") return initialValues(spec, count, fanIn, fanOut, rng);
        const r = Math.sqrt(2 * d.variance);
        return Float32Array.from({ length: count }, () => rng.uniformIn(-r, r));
      }),
    },
    {
      fault: "uniform initializers drawn from a normal of the same variance",
      law: initializerDistributionLaw((spec, count, fanIn, fanOut, rng) => {
        const d = initializerDistribution(spec, fanIn, fanOut);
        if (d.kind !== "uniform") return initialValues(spec, count, fanIn, fanOut, rng);
        return Float32Array.from({ length: count }, () => Math.sqrt(d.variance) * rng.normal());
      }),
    },
    {
      fault: "Glorot initializers with He's variance 2/n_in",
      law: glorotCondition(rewriteKernels((w, fanIn, fanOut) => w.map((v) => v * Math.sqrt((fanIn + fanOut) / fanIn)))),
    },
    { fault: "every kernel drawn with 4× the variance (a doubled gain)", law: varianceThroughDepth(rewriteKernels((w) => w.map((v) => 2 * v))) },
    {
      fault: "an initializer that ignores its stddev and scales to Glorot's variance",
      law: badInitThroughDepth(rewriteKernels((w, fanIn, fanOut, init) => {
        const stddev = "stddev" in init ? init.stddev : 1;
        return w.map((v) => (v / stddev) * Math.sqrt(2 / (fanIn + fanOut)));
      })),
    },
    { fault: "a 'zeros' initializer that leaves noise of 1e-6", law: zeroInitSymmetry({ name: "randomUniform", limit: 1e-6 }) },
    {
      fault: "global-norm clipping that forgets the last tensor",
      law: clipByGlobalNormLaw((tensors, c) => {
        const norm = tf.tidy(() => tf.sqrt(tf.addN(tensors.map((t) => tf.sum(tf.square(t))))) as tf.Scalar);
        const scale = tf.tidy(() => tf.div(c, tf.maximum(norm, c)));
        const clipped = tensors.map((t, i) => (i === tensors.length - 1 ? t.clone() : tf.mul(t, scale)));
        scale.dispose();
        return { clipped, norm };
      }),
    },
    {
      fault: "norm clipping that returns zeros instead of NaN on non-finite input",
      law: clipNonFinite(
        (tensors, c) => tf.tidy(() => {
          const norm = tf.sqrt(tf.addN(tensors.map((t) => tf.sum(tf.square(t))))) as tf.Scalar;
          const scale = tf.where(tf.isFinite(norm), tf.div(c, tf.maximum(norm, c)), tf.scalar(0));
          return { clipped: tensors.map((t) => tf.where(tf.isFinite(t), tf.mul(t, scale), tf.zerosLike(t))), norm };
        }),
        (t, c) => tf.tidy(() => tf.where(tf.isFinite(t), tf.mul(t, tf.div(c, tf.maximum(tf.norm(t), c))), tf.zerosLike(t))),
      ),
    },
    {
      fault: "clip-by-norm with the squared norm",
      law: clipByNormLaw((t, c) => tf.tidy(() => tf.mul(t, tf.div(c, tf.maximum(tf.sum(tf.square(t)), c))))),
    },
    { fault: "clip-by-value that clamps only from above", law: clipByValueLaw((t, _lo, hi) => tf.minimum(t, hi)) },
    { fault: "batch norm with the unbiased variance 1/(m − 1)", law: batchNormTrainMoments(batchNormVariant({ divisor: (m) => m - 1 })) },
    { fault: "batch norm that forgets to subtract the mean", law: batchNormInvariance(batchNormVariant({ center: false })) },
    { fault: "batch norm without ε", law: batchNormConstantFeature(batchNormVariant({ epsilon: false })) },
    {
      fault: "moving averages with momentum and 1 − momentum swapped",
      law: batchNormMovingAverage((moving, batch, momentum) => tf.tidy(() => moving.assign(tf.add(tf.mul(moving, 1 - momentum), tf.mul(batch, momentum))))),
    },
    { fault: "inference mode that normalizes with the batch's statistics", law: batchNormInference((model, x) => forward(model, x, "train").output) },
    { fault: "batch norm whose mean is a constant in backprop", law: batchNormInputGradient(batchNormVariant({ meanGradient: false })) },
    { fault: "gradients 10% too large", law: gradientCheck(scaledGradients(1.1)) },
    {
      fault: "a global norm whose Σg² is accumulated left to right in float32 (the autodiff engine before issue 11)",
      law: globalNormPrecision([{
        name: "autodiff",
        unsupported: () => null,
        prepare: async (model, config, train) => {
          const prepared = await prepareEngine(model, config, train, { backend: chosenBackend(), engine: "autodiff" });
          const { engine } = prepared;
          return {
            ...prepared,
            engine: {
              ...engine,
              async stats() {
                let sum = 0;
                for (const g of await engine.gradientValues()) for (const v of g) sum = Math.fround(sum + Math.fround(v * v));
                return { ...(await engine.stats()), globalNorm: Math.sqrt(sum) };
              },
            },
          };
        },
      }]),
    },
    {
      fault: "a backend whose numbers are off by 1e-4 (relative)",
      law: backendAgreement(computeOn, async (backend, c) => {
        const numbers = await computeOn(backend, c);
        for (const values of numbers.values()) values.forEach((v, i) => (values[i] = v * (1 + (i % 2 === 0 ? 1e-4 : -1e-4))));
        return numbers;
      }),
    },
  ];
}
