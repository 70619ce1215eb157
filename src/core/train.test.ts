import * as tf from "@tensorflow/tfjs-core";
import type { Backend } from "../backend/mod.ts";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { TrainData } from "./dataset.ts";
import { lossAndGradients } from "./gradients.ts";
import { denseStack } from "./model-spec.ts";
import { NonFiniteError } from "./nonfinite.ts";
import { Rng } from "./random.ts";
import { testBackend } from "./testing.ts";
import { train } from "./train.ts";
import type { TrainConfig } from "./train-config.ts";

let backend: Backend;
test.before(async () => {
  backend = await testBackend();
});

/** A small seeded classification problem: 4 Gaussian blobs in 8 dimensions. */
function blobs(rows: number, seed: number): TrainData {
  const rng = new Rng(seed);
  const x = new Float32Array(rows * 8);
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    labels[r] = rng.int(4);
    for (let f = 0; f < 8; f++) x[r * 8 + f] = rng.normal() + (f % 4 === labels[r] ? 2 : 0);
  }
  const ds = { x, rows, features: 8, y: { kind: "classes" as const, labels, classes: 4 } };
  return { train: ds, test: ds, source: { name: "blobs", location: "generated", sha256: "", description: "test blobs" } };
}

const config: TrainConfig = {
  loss: "softmaxCrossEntropy",
  optimizer: { name: "adam", learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  batchSize: 32,
  epochs: 3,
  shuffle: true,
  clipping: { name: "globalNorm", maxNorm: 0.5 },
  seed: 1234,
  record: { every: 2, epochEndValues: true, initialValues: true },
};
const spec = denseStack(8, [16, 16, 4], { name: "tanh" }, { name: "glorotUniform" }, { batchNorm: { momentum: 0.9, epsilon: 1e-3 } });

test("determinism: the same config, seed and backend train to a bitwise-identical result", async () => {
  const data = blobs(200, 5);
  const a = await train(spec, config, data, { backend });
  const b = await train(spec, config, data, { backend });
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  const c = await train(spec, { ...config, seed: 1235 }, data, { backend });
  assert.not.equal(JSON.stringify(a.steps), JSON.stringify(c.steps), "another seed changes the run");
});

test("recording: iterations, epochs, every-N records, clipping bound, snapshots", async () => {
  const r = await train(spec, config, blobs(200, 5), { backend });
  assert.is(r.iterationsPerEpoch, 7); // ⌈200/32⌉, the last batch has 8 rows
  assert.is(r.iterations, 21);
  assert.equal(r.steps.map((s) => s.iteration), [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
  assert.equal(r.steps.map((s) => s.epoch), [1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3]);
  assert.equal(r.parameterNames, ["dense1/kernel", "dense1/bias", "bn1/gamma", "bn1/beta", "dense2/kernel", "dense2/bias", "bn2/gamma", "bn2/beta", "dense3/kernel", "dense3/bias"]);
  for (const s of r.steps) {
    assert.is(s.meanAbs.length, 10);
    // Clipping: ≤ c up to float32 rounding of the rescaled norm (a few ulps of c).
    assert.ok(s.clippedGlobalNorm! <= 0.5 * (1 + 8 * 2 ** -23), `clipped norm ${s.clippedGlobalNorm}`);
    if (s.globalNorm <= 0.5) assert.equal(s.clippedL2, s.l2, "unclipped when under the bound");
  }
  assert.is(r.epochs.length, 3);
  for (const e of r.epochs) {
    assert.ok(e.trainAccuracy! >= 0 && e.trainAccuracy! <= 1);
    assert.ok(Math.abs(e.lossMean - e.lossSum / 7) < 1e-12);
    assert.ok(e.testAccuracy !== undefined && e.testLoss !== undefined);
  }
  assert.is(r.snapshots.length, 4, "epoch 0 (init) and one per epoch");
  assert.is(r.snapshots[0].gradients, undefined);
  assert.is(r.snapshots[1].gradients!.length, 10);
  assert.is(r.snapshots[3].weights[0].length, 8 * 16);
});

test("the blobs are learnable: accuracy rises well above chance (4 classes)", async () => {
  const r = await train(spec, { ...config, epochs: 5, clipping: { name: "none" } }, blobs(400, 6), { backend });
  assert.ok(r.epochs[4].testAccuracy! > 0.6, `test accuracy ${r.epochs[4].testAccuracy}`);
});

test("a NaN in the data stops training at iteration 0 and names the first non-finite layer output", async () => {
  const data = blobs(64, 7);
  data.train = { ...data.train, x: data.train.x.slice() };
  data.train.x[3] = NaN;
  const plain = denseStack(8, [16, 4], { name: "tanh" }, { name: "glorotUniform" });
  for (const [net, engine] of [[spec, "autodiff"], [spec, "fast-dense"], [plain, "autodiff"], [plain, "fast-dense"]] as const) {
    const before = tf.memory().numTensors;
    try {
      await train(net, { ...config, shuffle: false }, data, { backend, engine });
      assert.unreachable("training should stop");
    } catch (e) {
      assert.instance(e, NonFiniteError);
      assert.match((e as Error).message, /non-finite loss at iteration 0 \(epoch 1, batch 0\): loss is NaN; the output of layer 1/);
      const at = (e as NonFiniteError).location!;
      assert.equal([at.kind, at.iteration, at.layer, at.tensor, at.value], ["loss", 0, 1, null, "NaN"], `${engine}: the stop as data`);
      assert.is(at.element![0], 0, `${engine}: the first non-finite output is in row 0, where the NaN input is`);
    }
    assert.is(tf.memory().numTensors, before, `${engine}${net === spec ? " with batch norm" : ""}: stopping frees every tensor`);
  }
});

test("a non-finite gradient stops training and names the iteration, layer, tensor and element", async () => {
  let calls = 0;
  const faulty = (...args: Parameters<typeof lossAndGradients>) => {
    const r = lossAndGradients(...args);
    if (++calls === 4) {
      const g = r.gradients[4]; // dense2/kernel, shape [16, 16]
      const values = g.dataSync().slice();
      values[16 * 2 + 5] = Infinity;
      r.gradients[4] = tf.tensor(values, g.shape);
      g.dispose();
    }
    return r;
  };
  try {
    await train(spec, config, blobs(200, 5), { backend, step: faulty });
    assert.unreachable("training should stop");
  } catch (e) {
    assert.instance(e, NonFiniteError);
    assert.is((e as NonFiniteError).iteration, 3);
    assert.is((e as NonFiniteError).tensor, "dense2/kernel");
    assert.match((e as Error).message, "iteration 3 (epoch 1, batch 3): layer 2, tensor dense2/kernel, element [2, 5] is +Inf");
    assert.equal((e as NonFiniteError).location, { kind: "gradient", iteration: 3, epoch: 1, batch: 3, value: "+Inf", layer: 2, tensor: "dense2/kernel", element: [2, 5] });
  }
});

test("divergence (huge learning rate) stops with the iteration where the loss overflows", async () => {
  const data = blobs(64, 8);
  try {
    await train(denseStack(8, [4], { name: "linear" }, { name: "glorotUniform" }), {
      ...config,
      optimizer: { name: "sgd", learningRate: 1e38 },
      clipping: { name: "none" },
      epochs: 50,
    }, data, { backend });
    assert.unreachable("training should stop");
  } catch (e) {
    assert.instance(e, NonFiniteError);
    assert.ok((e as NonFiniteError).iteration > 0);
    assert.match((e as Error).message, /non-finite (loss|gradient) at iteration \d+/);
  }
});

test("hooks: onStart, onStep and onEpoch see what the result collects, as it is made", async () => {
  const seen: string[] = [];
  const steps: unknown[] = [];
  const epochs: unknown[] = [];
  const r = await train(spec, config, blobs(200, 5), {
    backend,
    onStart: (s) => seen.push(`start ${s.engine} ${s.parameterNames.length} ${s.iterationsPerEpoch}×${s.iterations / s.iterationsPerEpoch}`),
    onStep: (s) => (seen.push(`step ${s.iteration}`), steps.push(s)),
    onEpoch: (m) => (seen.push(`epoch ${m.epoch}`), epochs.push(m)),
  });
  assert.is(seen[0], `start ${r.engine} 10 7×3`);
  assert.equal(seen.slice(1, 6), ["step 0", "step 2", "step 4", "step 6", "epoch 1"], "in the order they happen");
  assert.equal(steps, r.steps);
  assert.equal(epochs, r.epochs);
});

test("input checks name what is wrong", async () => {
  const data = blobs(10, 1);
  await train(denseStack(7, [4], { name: "relu" }, { name: "heNormal" }), config, data, { backend }).then(
    () => assert.unreachable(),
    (e) => assert.match(e.message, "model inputSize is 7 but the training set has 8 features"),
  );
  await train(denseStack(8, [3], { name: "relu" }, { name: "heNormal" }), config, data, { backend }).then(
    () => assert.unreachable(),
    (e) => assert.match(e.message, "the last layer has 3 units but the targets have width 4"),
  );
});

test.run();
