/**
 * Helpers for the core's own tests: activate a backend once and compare numbers with a stated
 * tolerance. Not exported from mod.ts.
 */
import { type Backend, chosenBackend, useBackend } from "../backend/mod.ts";
import type { Dataset } from "./dataset.ts";
import type { LossName } from "./losses.ts";
import type { ActivationSpec, ModelSpec } from "./model-spec.ts";
import type { Rng } from "./random.ts";

/**
 * One of each activation form the fast engine handles: fused with matMul (linear, sigmoid,
 * relu, leaky ReLU, ELU α = 1) and applied after it (tanh, SELU, ELU α ≠ 1).
 */
export const TEST_ACTIVATIONS: ActivationSpec[] = [
  { name: "linear" }, { name: "sigmoid" }, { name: "tanh" }, { name: "relu" }, { name: "selu" },
  { name: "leakyRelu", alpha: 0.01 }, { name: "elu", alpha: 1 }, { name: "elu", alpha: 0.5 },
];

/** Activates the backend the unit tests run on (GRADLAB_BACKEND or the default order) and returns its handle. */
export async function testBackend(): Promise<Backend> {
  await useBackend();
  return chosenBackend();
}

/** Throws unless |a − e| ≤ atol + rtol·|e|; non-finite values only match themselves. */
export function assertClose(actual: number, expected: number, rtol: number, atol: number, what: string): void {
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) {
    if (Object.is(actual, expected) || (Number.isNaN(actual) && Number.isNaN(expected))) return;
    throw new Error(`${what}: got ${actual}, expected ${expected}`);
  }
  const err = Math.abs(actual - expected);
  if (err > atol + rtol * Math.abs(expected)) {
    throw new Error(`${what}: got ${actual}, expected ${expected} (|diff| ${err.toExponential(3)} > atol ${atol} + rtol ${rtol}·|expected|)`);
  }
}

/** Element-wise assertClose over two arrays of the same length. */
export function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < actual.length; i++) assertClose(actual[i], expected[i], rtol, atol, `${what}[${i}]`);
}

/**
 * A dense test net: hidden layers of `widths` with one activation, a linear output layer,
 * Glorot-uniform kernels, biases U(−0.5, 0.5) when used, batch norm where `batchNormAt` says.
 */
export function testNetSpec(
  n: { inputSize: number; widths: number[]; outputs: number; activation: ActivationSpec; useBias: boolean },
  batchNormAt: (last: boolean) => boolean,
): ModelSpec {
  const units = [...n.widths, n.outputs];
  return {
    inputSize: n.inputSize,
    layers: units.map((u, i) => ({
      units: u,
      activation: i === units.length - 1 ? { name: "linear" } : n.activation,
      kernelInitializer: { name: "glorotUniform" },
      biasInitializer: { name: "randomUniform", limit: 0.5 },
      useBias: n.useBias,
      ...(batchNormAt(i === units.length - 1) ? { batchNorm: { momentum: 0.9, epsilon: 1e-3 } } : {}),
    })),
  };
}

/** Random targets for `rows` rows: N(0, 1) regression values under MSE, else uniform class labels. */
export function testTargets(rng: Rng, rows: number, outputs: number, loss: LossName): Dataset["y"] {
  return loss === "mse"
    ? { kind: "regression", values: new Float32Array(rows * outputs).map(() => rng.normal()), outputs }
    : { kind: "classes", labels: new Int32Array(rows).map(() => rng.int(outputs)), classes: outputs };
}
