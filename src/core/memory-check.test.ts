import { test } from "uvu";
import * as assert from "uvu/assert";
import { WASM_HEAP_MAX_BYTES } from "../backend/mod.ts";
import { checkTrainingFits, memoryLimit, trainingMemory } from "./memory-check.ts";
import { denseStack } from "./model-spec.ts";

const adam = { optimizer: { name: "adam" as const, learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, batchSize: 256 };
const wasmBackend = { name: "wasm" as const, heapMaxBytes: WASM_HEAP_MAX_BYTES };
const wasm = { bytes: WASM_HEAP_MAX_BYTES, what: "the wasm backend's heap" };
const net = (units: number[]) => denseStack(784, units, { name: "relu" }, { name: "heNormal" });

test("the floor: weights, gradients and the optimizer's slots per parameter, and a batch's activations", () => {
  const [l1, l2] = trainingMemory(net([30, 10]), adam);
  assert.equal([l1!.parameters, l2!.parameters], [784 * 30 + 30, 30 * 10 + 10]);
  assert.is(l1!.bytes, 4 * ((784 * 30 + 30) * 4 + 2 * 256 * 30));
  const sgd = trainingMemory(net([30, 10]), { ...adam, optimizer: { name: "sgd", learningRate: 0.1 } });
  assert.is(sgd[0]!.bytes, 4 * ((784 * 30 + 30) * 2 + 2 * 256 * 30));
});

test("E1's and E3's nets fit; a billion-unit layer is refused naming it, its size and the memory", () => {
  checkTrainingFits(net([30, 30, 30, 30, 10]), adam, wasmBackend, wasm);
  checkTrainingFits(net([512, 256, 10]), adam, wasmBackend, wasm);
  let message = "";
  try {
    checkTrainingFits(net([1e9, 10]), adam, wasmBackend, wasm);
  } catch (error) {
    message = (error as Error).message;
  }
  assert.match(message, "the model does not fit in memory: layer 1 (784 → 1,000,000,000 units, 785,000,000,000 parameters) needs at least 13 TiB to train with adam");
  assert.match(message, "but the wasm backend's heap holds at most 4.0 GiB; make the layer smaller");
});

test("the largest layer is the one named, also when only the sum is too much", () => {
  let message = "";
  try {
    checkTrainingFits(net([20000, 20000, 10]), adam, wasmBackend, wasm);
  } catch (error) {
    message = (error as Error).message;
  }
  assert.match(message, "layer 2 (20,000 → 20,000 units");
  assert.match(message, "the whole model at least");
});

test("the limit is the backend's heap where it caps memory below the machine's, else the machine's", () => {
  const limit = memoryLimit(wasmBackend);
  assert.ok(limit.bytes <= WASM_HEAP_MAX_BYTES);
  assert.is(memoryLimit({ name: "cpu", heapMaxBytes: null }).what.startsWith("this machine's memory"), true);
});

test.run();
