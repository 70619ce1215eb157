/**
 * Law (source 001): in inference mode a batch-normalized layer uses the moving statistics, not
 * the batch's: its output is γ(x − moving mean)/√(moving variance + ε) + β for every row, and
 * each row's output is the same whether it is computed alone or in a batch. Checked through
 * the core's forward pass on a model whose dense kernel is the identity.
 */
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { disposeModel, forward, type Model, type ModelSpec, parameterOf, Rng } from "../../src/core/mod.ts";
import { logUniform, seed32, uniformReal } from "../_internals/arbitraries.ts";
import { fmt, isClose } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { modelWithWeights } from "../_internals/model.ts";
import { defineLaw, type Law } from "../law.ts";
import { arithmeticUnit, F32_U } from "../tolerance.ts";

/** An inference-mode forward pass under test: the core's unless a fault is planted. */
export type InferencePass = (model: Model, x: tf.Tensor2D) => tf.Tensor2D;

/** The core's forward pass in inference mode. */
export const coreInference: InferencePass = (model, x) => forward(model, x, "infer").output;

async function run(pass: InferencePass, model: Model, x: Float32Array, rows: number, features: number): Promise<Float32Array> {
  const xt = tf.tensor2d(x, [rows, features]);
  const y = tf.tidy(() => pass(model, xt));
  const out = (await y.data()) as Float32Array;
  tf.dispose([xt, y]);
  return out;
}

/**
 * The law, for an inference pass.
 *
 * @example
 * const law = batchNormInference();
 */
export function batchNormInference(pass: InferencePass = coreInference): Law {
  return defineLaw({
    name: "batchnorm-inference",
    group: "batch-norm",
    statement: "In inference mode BN outputs γ(x − moving mean)/√(moving variance + ε) + β, and each row's output does not depend on the other rows.",
    runs: 30,
    tolerance: ({ tolerance: bt }) => ({
      rule: "|out − exact| ≤ |γ|·r·(u(|x| + |mean|) + |x − mean|·(kernelUlps·u + 4·unit)) + 2·unit·(|β| + |out|); rows alone vs in a batch: equal " +
        "(elementwise kernels) on IEEE backends, else within the same bound",
      values: { u: F32_U, kernelUlps: bt.kernelUlps },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 12 }), logUniform(-3, 3), uniformReal(-5, -1), seed32(), async (features, rows, scale, epsExp, seed) => {
        const rng = new Rng(seed);
        const epsilon = Math.fround(10 ** epsExp);
        const spec: ModelSpec = {
          inputSize: features,
          layers: [{ units: features, activation: { name: "linear" }, kernelInitializer: { name: "zeros" }, useBias: false, batchNorm: { momentum: 0.9, epsilon } }],
        };
        const identity = Float32Array.from({ length: features * features }, (_, k) => (k % (features + 1) === 0 ? 1 : 0));
        const gammaV = Float32Array.from({ length: features }, () => 10 ** rng.uniformIn(-1, 1));
        const betaV = Float32Array.from({ length: features }, () => rng.normal());
        const model = modelWithWeights(spec, [identity, gammaV, betaV]);
        try {
          const movingMean = Float32Array.from({ length: features }, () => scale * rng.normal());
          const movingVar = Float32Array.from({ length: features }, () => (scale * 10 ** rng.uniformIn(-1, 1)) ** 2);
          tf.tidy(() => {
            model.batchNorm[0]!.movingMean.assign(tf.tensor1d(movingMean));
            model.batchNorm[0]!.movingVariance.assign(tf.tensor1d(movingVar));
          });
          expect(parameterOf(model, 1, "gamma") !== undefined, () => "the BN model has no γ");
          const x = Float32Array.from({ length: rows * features }, () => scale * (2 * rng.normal() + 1));
          const out = await run(pass, model, x, rows, features);
          const unit = arithmeticUnit(bt);
          for (let i = 0; i < rows; i++) {
            const alone = await run(pass, model, x.subarray(i * features, (i + 1) * features), 1, features);
            for (let j = 0; j < features; j++) {
              const k = i * features + j;
              const r = 1 / Math.sqrt(movingVar[j] + epsilon);
              const want = (gammaV[j] * (x[k] - movingMean[j])) * r + betaV[j];
              const tol = Math.abs(gammaV[j]) * r * (F32_U * (Math.abs(x[k]) + Math.abs(movingMean[j])) + Math.abs(x[k] - movingMean[j]) * (bt.kernelUlps * F32_U + 4 * unit)) +
                2 * unit * (Math.abs(betaV[j]) + Math.abs(want));
              expect(isClose(out[k], want, { rtol: 0, atol: tol }), () =>
                `row ${i}, feature ${j}: inference output ${fmt(out[k])}, expected γ(x − moving mean)/√(moving var + ε) + β = ${fmt(want)} ± ${fmt(tol)}`);
              const same = isClose(alone[j], out[k], { rtol: 0, atol: bt.ieeeArithmetic ? 0 : 2 * tol });
              expect(same, () => `row ${i}, feature ${j}: ${fmt(alone[j])} computed alone, ${fmt(out[k])} in a batch of ${rows}`);
            }
          }
        } finally {
          disposeModel(model);
        }
      }),
  });
}
