/** prepareFastEngine refuses a shared batch layout made for another training set, before it prepares anything. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createModel, disposeModel } from "../model.ts";
import { Rng } from "../random.ts";
import { testBackend, testNetSpec, testTargets } from "../testing.ts";
import type { TrainConfig } from "../train-config.ts";
import { prepareFastEngine, sharedBatchLayout } from "./mod.ts";

test("a shared layout of another training set is refused, naming both sizes", async () => {
  const backend = await testBackend();
  const rng = new Rng(3);
  const spec = testNetSpec({ inputSize: 4, widths: [3], outputs: 2, activation: { name: "tanh" }, useBias: true }, () => false);
  const set = (rows: number) => ({ x: Float32Array.from({ length: rows * 4 }, () => rng.normal()), rows, features: 4, y: testTargets(rng, rows, 2, "softmaxCrossEntropy") });
  const config: TrainConfig = {
    loss: "softmaxCrossEntropy", optimizer: { name: "sgd", learningRate: 0.1 }, batchSize: 8, epochs: 1, shuffle: false,
    clipping: { name: "none" }, seed: 1, record: { every: 0 },
  };
  const train = set(16), other = set(24);
  const model = createModel(spec, rng.fork("init"));
  try {
    const own = await prepareFastEngine(model, config, train, { backend, layout: sharedBatchLayout(train, config) });
    own.dispose();
    await prepareFastEngine(model, config, train, { backend, layout: sharedBatchLayout(other, config) }).then(
      () => assert.unreachable("a layout of 24 rows was taken for a set of 16"),
      (e: Error) => assert.match(e.message, /options\.layout holds 96 values, the training set 64: it was made for another training set/),
    );
  } finally {
    disposeModel(model);
  }
});

test.run();
