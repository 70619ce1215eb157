import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Backend, chosenBackend, useBackend } from "../backend/mod.ts";
import { denseStack, NonFiniteError, Rng, train, type TrainConfig, type TrainData } from "../core/mod.ts";
import { trainInWorkers } from "./mod.ts";

let backend: Backend;
test.before(async () => {
  await useBackend();
  backend = chosenBackend();
});

function blobs(rows: number): TrainData {
  const rng = new Rng(21);
  const x = new Float32Array(rows * 6).map(() => rng.normal());
  const labels = new Int32Array(rows).map(() => rng.int(3));
  const ds = { x, rows, features: 6, y: { kind: "classes" as const, labels, classes: 3 } };
  return { train: ds, test: ds, source: { name: "blobs", location: "generated", sha256: "", description: "" } };
}

const config: TrainConfig = {
  loss: "softmaxCrossEntropy",
  optimizer: { name: "adam", learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  batchSize: 16,
  epochs: 2,
  shuffle: false,
  clipping: { name: "none" },
  seed: 5,
  record: { every: 2 },
};

test("runs in workers give bitwise the results of the same runs in this thread, in job order", async () => {
  const data = blobs(96);
  const specs = [
    denseStack(6, [8, 3], { name: "sigmoid" }, { name: "glorotUniform" }),
    denseStack(6, [8, 3], { name: "relu" }, { name: "heNormal" }, { batchNorm: { momentum: 0.9, epsilon: 1e-3 } }),
    denseStack(6, [5, 3], { name: "tanh" }, { name: "lecunNormal" }),
  ];
  const seen: number[] = [];
  const parallel = await trainInWorkers(specs.map((model) => ({ model, config, data })), { backend, workers: 2, onProgress: (i) => seen.push(i) });
  for (const [i, model] of specs.entries()) {
    assert.equal(JSON.stringify(parallel[i]), JSON.stringify(await train(model, config, data, { backend })), `job ${i}`);
  }
  assert.equal([...new Set(seen)].sort(), [0, 1, 2], "progress from every job");
});

test("a NaN in a worker comes back as a NonFiniteError naming where", async () => {
  const data = blobs(32);
  data.train = { ...data.train, x: data.train.x.slice() };
  data.train.x[0] = NaN;
  try {
    await trainInWorkers([{ model: denseStack(6, [3], { name: "linear" }, { name: "zeros" }), config, data }], { backend });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, NonFiniteError);
    assert.match((e as Error).message, "non-finite loss at iteration 0");
  }
});

test.run();
