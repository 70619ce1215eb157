/**
 * Law (E2, source 003: zero init never breaks symmetry): a net whose weights all start at 0
 * keeps its hidden units identical for ever — after every epoch of training, all columns of
 * the first kernel are equal, so are the hidden biases and the entries of the second kernel —
 * whatever the data, optimizer, batch order or engine. Identical units receive identical
 * gradients, so no update can tell them apart. Trained by the core's own training loop.
 */
import * as fc from "fast-check";
import { chosenBackend } from "../../src/backend/mod.ts";
import { type ActivationSpec, type InitializerSpec, type ModelSpec, NonFiniteError, Rng, train, type TrainConfig } from "../../src/core/mod.ts";
import { seed32, uniformReal } from "../_internals/arbitraries.ts";
import { fmt, isClose } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { normals } from "../_internals/model.ts";
import { defineLaw, type Law } from "../law.ts";
import { symmetryCloseness } from "../tolerance.ts";

const setups = fc.record({
  inputs: fc.integer({ min: 1, max: 4 }),
  hidden: fc.integer({ min: 2, max: 6 }),
  activation: fc.constantFrom<ActivationSpec>({ name: "sigmoid" }, { name: "sigmoid" }, { name: "tanh" }, { name: "elu", alpha: 1 }),
  useBias: fc.boolean(),
  rows: fc.integer({ min: 4, max: 40 }),
  batchSize: fc.integer({ min: 1, max: 10 }),
  epochs: fc.integer({ min: 1, max: 4 }),
  shuffle: fc.boolean(),
  optimizer: fc.oneof(
    fc.record({ name: fc.constant("sgd" as const), learningRate: uniformReal(0.005, 0.1) }),
    fc.record({ name: fc.constant("momentum" as const), learningRate: fc.constant(0.03), momentum: fc.constant(0.9), nesterov: fc.boolean() }),
    fc.constant({ name: "adam" as const, learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }),
  ),
  engine: fc.constantFrom("auto" as const, "autodiff" as const),
  seed: seed32(),
});

/**
 * The law, for the initializer called "zeros" (the core's `{ name: "zeros" }` unless a fault is planted).
 *
 * @example
 * const law = zeroInitSymmetry();
 */
export function zeroInitSymmetry(zeros: InitializerSpec = { name: "zeros" }): Law {
  return defineLaw({
    name: "zero-init-symmetry",
    group: "initializers",
    statement: "A d→h→1 net whose weights all start at 0 never breaks symmetry: after every epoch the columns of W₁, " +
      "the hidden biases and the entries of W₂ are all equal (E2).",
    runs: 12,
    tolerance: ({ tolerance: bt }) => {
      const t = symmetryCloseness(bt);
      return { rule: "units equal within atol + rtol·|unit 1's value| (see symmetryCloseness: exact on cpu)", values: { rtol: t.rtol, atol: t.atol } };
    },
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(setups, async (s) => {
        const spec: ModelSpec = {
          inputSize: s.inputs,
          layers: [
            { units: s.hidden, activation: s.activation, kernelInitializer: zeros, useBias: s.useBias, ...(s.useBias ? { biasInitializer: zeros } : {}) },
            { units: 1, activation: { name: "linear" }, kernelInitializer: zeros, useBias: s.useBias, ...(s.useBias ? { biasInitializer: zeros } : {}) },
          ],
        };
        const rng = new Rng(s.seed);
        const x = normals(rng.fork("x"), s.rows * s.inputs);
        const y = Float32Array.from({ length: s.rows }, (_, i) => (2 * x[i * s.inputs] ** 2 - (s.inputs > 1 ? x[i * s.inputs + 1] ** 2 : 0)) / 4 + 0.1);
        const config: TrainConfig = {
          loss: "mse", optimizer: s.optimizer, batchSize: s.batchSize, epochs: s.epochs, shuffle: s.shuffle,
          clipping: { name: "none" }, seed: s.seed, record: { every: 0, epochEndValues: true },
        };
        const data = {
          train: { x, rows: s.rows, features: s.inputs, y: { kind: "regression" as const, values: y, outputs: 1 } },
          source: { name: "zero-init-symmetry", location: "generated", sha256: "", description: "x ~ N(0,1), y = (2x₁² − x₂²)/4 + 0.1" },
        };
        let result;
        try {
          result = await train(spec, config, data, { backend: chosenBackend(), engine: s.engine });
        } catch (error) {
          // Divergence is the training loop's own, documented stop; this law is about symmetry, not stability.
          fc.pre(!(error instanceof NonFiniteError));
          throw error;
        }
        const tol = symmetryCloseness(bt);
        const same = (a: number, b: number) => isClose(a, b, tol);
        for (const snap of result.snapshots) {
          const named = Object.fromEntries(result.parameterNames.map((n, i) => [n, snap.weights[i]]));
          const w1 = named["dense1/kernel"], w2 = named["dense2/kernel"], b1 = named["dense1/bias"];
          const where = `epoch ${snap.epoch}`;
          for (let i = 0; i < s.inputs; i++) {
            for (let j = 1; j < s.hidden; j++) {
              expect(same(w1[i * s.hidden + j], w1[i * s.hidden]), () =>
                `${where}: W₁[${i}][${j}] = ${fmt(w1[i * s.hidden + j])} differs from W₁[${i}][0] = ${fmt(w1[i * s.hidden])}`);
            }
          }
          for (let j = 1; j < s.hidden; j++) {
            expect(same(w2[j], w2[0]), () => `${where}: W₂[${j}] = ${fmt(w2[j])} differs from W₂[0] = ${fmt(w2[0])}`);
            if (b1) expect(same(b1[j], b1[0]), () => `${where}: b₁[${j}] = ${fmt(b1[j])} differs from b₁[0] = ${fmt(b1[0])}`);
          }
        }
      }),
  });
}
