/**
 * The fast engine computes the same gradients as tfjs autodiff: a property over random dense
 * nets, batches and losses, on the active backend. What each engine then does with its
 * gradients (optimizer step, clipping, recording, batch norm's moving averages) is checked
 * step by step against float64 by the engine laws (properties/engine/).
 */
import * as tf from "@tensorflow/tfjs-core";
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Backend } from "../../backend/mod.ts";
import { gatherBatch } from "../batches.ts";
import type { Dataset } from "../dataset.ts";
import { FLOAT32_EPSILON } from "../float32.ts";
import { lossAndGradients } from "../gradients.ts";
import { createModel, disposeModel } from "../model.ts";
import type { ModelSpec } from "../model-spec.ts";
import { Rng } from "../random.ts";
import { TEST_ACTIVATIONS, testBackend, testNetSpec, testTargets } from "../testing.ts";
import type { TrainConfig } from "../train-config.ts";
import { autodiffEngine } from "../autodiff-engine.ts";
import { laidOutBatch, transposedBatches } from "./batch-layout.ts";
import { fastDenseEngine, fastDenseUnsupported } from "./dense-engine.ts";

let backend: Backend;
test.before(async () => {
  backend = await testBackend();
});

const netArb = fc.record({
  inputSize: fc.integer({ min: 1, max: 12 }),
  widths: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 0, maxLength: 4 }),
  outputs: fc.integer({ min: 1, max: 6 }),
  activation: fc.constantFrom(...TEST_ACTIVATIONS),
  useBias: fc.boolean(),
  batchNorm: fc.boolean(),
  transposedBatches: fc.boolean(),
  loss: fc.constantFrom("softmaxCrossEntropy" as const, "mse" as const),
  rows: fc.integer({ min: 2, max: 40 }),
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
});
type Net = typeof netArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * Batch norm on a layer whose output is an affine function of x̂ all the way to an MSE loss
 * (a linear activation, or the output layer under MSE) makes dy nearly a combination of 1 and
 * x̂, so its backward bracket m·dy − Σdy − x̂·Σ(dy·x̂) cancels to a small remainder: both
 * engines then carry rounding errors of the terms' size, not of the result's, and no bound in
 * ε·‖g‖ holds. The property leaves those layers unnormalized (E4 normalizes ELU layers and
 * logits under cross-entropy, which this covers).
 */
function wellConditioned(n: Net, last: boolean): boolean {
  return last ? n.loss !== "mse" : n.activation.name !== "linear";
}

function build(n: Net): { spec: ModelSpec; ds: Dataset } {
  const spec = testNetSpec(n, (last) => n.batchNorm && wellConditioned(n, last));
  const rng = new Rng(n.seed).fork("data");
  const x = new Float32Array(n.rows * n.inputSize).map(() => rng.normal());
  const y = testTargets(rng, n.rows, n.outputs, n.loss);
  return { spec, ds: { x, rows: n.rows, features: n.inputSize, y } };
}

function config(loss: TrainConfig["loss"]): TrainConfig {
  return { loss, optimizer: { name: "sgd", learningRate: 0.1 }, batchSize: 64, epochs: 1, shuffle: false, clipping: { name: "none" }, seed: 1, record: { every: 0 } };
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/**
 * Tolerance. Both engines sum the same products in different orders (and the fast one partly
 * in float64). A float32 dot product of length K is off by at most K·ε·Σ|aᵢbᵢ| (Higham,
 * "Accuracy and Stability of Numerical Algorithms", §3.1), and back-propagation through L
 * layers chains L such products, each of which can pass on the error of the ones above it
 * in proportion to the whole gradient's size. So per tensor we allow
 *   ‖g_fast − g_autodiff‖₂ ≤ 4·(L+1)·K·ε·G,
 * with K the longest sum (batch rows or layer width), G the global gradient norm (all tensors)
 * and the factor 4 covering transcendental activations (≤ 1 ulp each) and the loss's softmax.
 * Batch norm adds one more length-m sum per layer (its Σdy and Σdy·x̂), counted in L+1.
 */
function tolerance(n: Net, globalNorm: number): number {
  const L = n.widths.length + 1;
  const K = Math.max(n.rows, n.inputSize, n.outputs, ...n.widths);
  return 4 * (L + 1) * K * FLOAT32_EPSILON * globalNorm;
}

/** A message naming the first tensor whose difference exceeds the tolerance, or null. */
function gradientMismatch(names: string[], ref: number[][], fast: number[][], n: Net): string | null {
  const G = norm(ref.flat());
  const tol = tolerance(n, G);
  for (let i = 0; i < ref.length; i++) {
    const diff = norm(ref[i].map((v, j) => v - fast[i][j]));
    if (!(diff <= tol)) return `${names[i]}: ‖Δ‖ = ${diff} > ${tol} (G = ${G})`;
  }
  return null;
}

test("property: fast-dense gradients equal tfjs autodiff within float32 rounding", async () => {
  await fc.assert(
    fc.asyncProperty(netArb, async (n) => {
      const { spec, ds } = build(n);
      assert.is(fastDenseUnsupported(backend), null);
      const model = createModel(spec, new Rng(n.seed).fork("init"));
      const hb = laidOutBatch(ds, n.transposedBatches ? transposedBatches(ds, n.rows) : null, null, 0, n.rows);
      assert.is(hb.xT !== null, n.transposedBatches);
      const engine = fastDenseEngine(model, config(n.loss), { backend });
      const { loss } = await engine.compute(hb, { iteration: 0, epoch: 1, batch: 0 });
      const fast = await engine.gradientValues();
      const x = tf.tensor2d(hb.x, [n.rows, n.inputSize]);
      const t = tf.tensor2d(hb.targets, [n.rows, hb.targetWidth]);
      const ref = lossAndGradients(model, x, t, n.loss);
      const refValues = await Promise.all(ref.gradients.map(async (g) => Array.from(await g.data())));
      const refLoss = (await ref.loss.data())[0];
      tf.dispose([x, t, ref.loss, ref.output, ...ref.gradients, ...ref.batchStats.flatMap((b) => [b.mean, b.variance])]);
      engine.dispose();
      disposeModel(model);
      const mismatch = gradientMismatch(model.parameters.map((p) => p.name), refValues, fast, n);
      if (mismatch) throw new Error(mismatch);
      // The loss: a sum over rows of O(1) terms, same bound with G replaced by the loss's size.
      const lossTol = 4 * (n.widths.length + 2) * Math.max(n.rows, n.outputs) * FLOAT32_EPSILON * (Math.abs(refLoss) + 1);
      if (!(Math.abs(loss - refLoss) <= lossTol)) throw new Error(`loss ${loss} vs ${refLoss}`);
    }),
    { numRuns: Number(process.env.GRADLAB_FC_RUNS ?? 40), seed: Number(process.env.GRADLAB_FC_SEED ?? 20261125) },
  );
});

test("the comparison catches a planted fault: one gradient element off by 1% of the global norm", () => {
  const n: Net = { inputSize: 4, widths: [8], outputs: 3, activation: { name: "relu" }, useBias: true, batchNorm: false, transposedBatches: false, loss: "mse", rows: 16, seed: 1 };
  const rng = new Rng(3);
  const ref = [Array.from({ length: 32 }, () => rng.normal()), Array.from({ length: 8 }, () => rng.normal())];
  const fast = ref.map((r) => r.slice());
  assert.is(gradientMismatch(["w", "b"], ref, fast, n), null);
  fast[1][5] += 0.01 * norm(ref.flat());
  assert.match(gradientMismatch(["w", "b"], ref, fast, n)!, /^b: ‖Δ‖ = /);
});

test("batch norm: both engines update the moving statistics alike", async () => {
  const n: Net = { inputSize: 5, widths: [7], outputs: 3, activation: { name: "elu", alpha: 1 }, useBias: true, batchNorm: true, transposedBatches: false, loss: "softmaxCrossEntropy", rows: 30, seed: 9 };
  const { spec, ds } = build(n);
  const moving: number[][][] = [];
  for (const engine of ["fast-dense", "autodiff"] as const) {
    const model = createModel(spec, new Rng(1));
    const e = engine === "fast-dense" ? fastDenseEngine(model, config("softmaxCrossEntropy"), { backend }) : autodiffEngine(model, config("softmaxCrossEntropy"));
    for (let b = 0; b < 3; b++) {
      await e.compute(gatherBatch(ds, null, b * 10, 10), { iteration: b, epoch: 1, batch: b });
      e.update();
    }
    moving.push(await Promise.all(model.batchNorm.flatMap((s) => (s ? [s.movingMean, s.movingVariance] : [])).map(async (v) => Array.from(await v.data()))));
    e.dispose();
    disposeModel(model);
  }
  // Moving averages of O(1) statistics over 3 steps: a few float32 roundings each, plus the
  // parameters' own float32-level differences after 2 updates passed through the layer.
  moving[0].forEach((v, i) => v.forEach((x, j) => assert.ok(Math.abs(x - moving[1][i][j]) <= 1e-5 * (1 + Math.abs(x)), `${i}[${j}]: ${x} vs ${moving[1][i][j]}`)));
});

test.run();
