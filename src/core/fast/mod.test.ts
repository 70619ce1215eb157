/**
 * prepareFastEngine refuses a shared batch layout made for another training set, before it
 * prepares anything; the helper thread is a Web Worker, so where the runtime has none (Node)
 * "auto" gives one thread and an explicit 2 is refused, naming why.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createModel, disposeModel } from "../model.ts";
import { Rng } from "../random.ts";
import { testBackend, testNetSpec, testTargets } from "../testing.ts";
import type { TrainConfig } from "../train-config.ts";
import { backendHandle } from "../../backend/mod.ts";
import { prepareFastEngine, sharedBatchLayout, threadsFor } from "./mod.ts";

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
      (e: Error) => assert.match(e.message, /options\.layout holds 96 values, the training set 64: it is not this training set.s layout/),
    );
  } finally {
    disposeModel(model);
  }
});

test("threadsFor: 2 where the helper pays and Web Workers exist; without them (Node) auto gives 1 and 2 is refused", () => {
  const wasm = backendHandle("wasm");
  const spec = testNetSpec({ inputSize: 784, widths: [30], outputs: 10, activation: { name: "relu" }, useBias: true }, () => false);
  const config: TrainConfig = {
    loss: "softmaxCrossEntropy", optimizer: { name: "sgd", learningRate: 0.1 }, batchSize: 256, epochs: 20, shuffle: false,
    clipping: { name: "none" }, seed: 1, record: { every: 0 },
  };
  const g = globalThis as { Worker?: unknown };
  const worker = g.Worker;
  assert.is(threadsFor(spec, config, 60000, 2, wasm), 2);
  try {
    delete g.Worker;
    assert.is(threadsFor(spec, config, 60000, "auto", wasm), 1);
    assert.is(threadsFor(spec, config, 60000, 1, wasm), 1);
    assert.throws(() => threadsFor(spec, config, 60000, 2, wasm), /threads: 2 needs a Web Worker for the helper thread, which this runtime \(Node\) lacks/);
  } finally {
    g.Worker = worker;
  }
});

test.run();
