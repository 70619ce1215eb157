/**
 * No leaks: tensors, (on wasm) the WebAssembly heap and the gemm kernel's memory stay constant
 * from the end of epoch 2 to the last epoch, for both engines.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Backend, backendMemory, type BackendMemory } from "../backend/mod.ts";
import { kernelMemoryBytes } from "./fast/mod.ts";
import { denseStack } from "./model-spec.ts";
import { Rng } from "./random.ts";
import { testBackend } from "./testing.ts";
import { train, type TrainOptions } from "./train.ts";
import type { TrainConfig } from "./train-config.ts";

let backend: Backend;
test.before(async () => {
  backend = await testBackend();
});

function data(rows: number) {
  const rng = new Rng(4);
  const ds = {
    x: new Float32Array(rows * 20).map(() => rng.normal()),
    rows,
    features: 20,
    y: { kind: "classes" as const, labels: new Int32Array(rows).map(() => rng.int(5)), classes: 5 },
  };
  return { train: ds, test: ds, source: { name: "random", location: "generated", sha256: "", description: "" } };
}

const config: TrainConfig = {
  loss: "softmaxCrossEntropy",
  optimizer: { name: "adam", learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  batchSize: 32,
  epochs: 5,
  shuffle: false,
  clipping: { name: "globalNorm", maxNorm: 1 },
  seed: 3,
  record: { every: 3, epochEndValues: true },
};

async function memoryPerEpoch(spec: Parameters<typeof train>[0], options: Omit<TrainOptions, "backend">, cfg = config): Promise<(BackendMemory & { kernelBytes: number })[]> {
  const seen: (BackendMemory & { kernelBytes: number })[] = [];
  await train(spec, cfg, data(300), { ...options, backend, onEpoch: () => void seen.push({ ...backendMemory(), kernelBytes: kernelMemoryBytes() }) });
  return seen;
}

for (const [label, spec, options, cfg] of [
  ["fast-dense", denseStack(20, [16, 16, 5], { name: "sigmoid" }, { name: "glorotUniform" }), { engine: "fast-dense" }, config],
  ["fast-dense, shuffled", denseStack(20, [16, 16, 5], { name: "relu" }, { name: "heNormal" }), { engine: "fast-dense" }, { ...config, shuffle: true }],
  ["fast-dense with batch norm", denseStack(20, [16, 16, 5], { name: "elu", alpha: 1 }, { name: "heNormal" }, { batchNorm: { momentum: 0.9, epsilon: 1e-3 } }), { engine: "fast-dense" }, config],
  ["autodiff with batch norm", denseStack(20, [16, 16, 5], { name: "elu", alpha: 1 }, { name: "heNormal" }, { batchNorm: { momentum: 0.9, epsilon: 1e-3 } }), { engine: "autodiff" }, config],
] as const) {
  test(`${label}: tensor count and wasm heap are constant from epoch 2 to the last`, async () => {
    const before = backendMemory().numTensors;
    const seen = await memoryPerEpoch(spec, options as Omit<TrainOptions, "backend">, cfg);
    assert.is(seen.length, 5);
    for (const m of seen.slice(2)) {
      assert.is(m.numTensors, seen[1].numTensors, `tensors per epoch: ${seen.map((s) => s.numTensors).join(" ")}`);
      assert.is(m.wasmHeapBytes, seen[1].wasmHeapBytes, "wasm heap bytes");
      assert.is(m.kernelBytes, seen[1].kernelBytes, "gemm kernel memory handed out");
    }
    assert.is(backendMemory().numTensors, before, "training frees every tensor it made");
  });
}

test.run();
