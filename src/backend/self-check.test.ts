import * as tf from "@tensorflow/tfjs-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BackendRefusedError, listBackends, selfCheck, selfCheckOf, useBackend } from "./mod.ts";
import { addNOfTheFirstSeven, replaceKernel, restoreBackendAfter } from "./testing.ts";

const TINY = 2 ** -149;

restoreBackendAfter(test);

/** The BackendRefusedError the self-check rejects with on the active backend (fails when it passes). */
async function refusal(): Promise<BackendRefusedError> {
  try {
    await selfCheck();
  } catch (error) {
    assert.instance(error, BackendRefusedError);
    return error as BackendRefusedError;
  }
  assert.unreachable("the self-check passed");
  throw new Error("unreachable");
}

/** Runs `f` with a test double in place of one cpu kernel, on cpu. */
async function withBrokenCpu<T>(kernelName: string, make: (original: tf.KernelFunc) => tf.KernelFunc, f: () => Promise<T>): Promise<T> {
  await useBackend("cpu");
  const restore = replaceKernel(kernelName, "cpu", make);
  try {
    return await f();
  } finally {
    restore();
  }
}

test("every available backend passes, once per process, and leaves no tensors behind", async () => {
  for (const info of (await listBackends()).filter((b) => b.available)) {
    await useBackend(info.name);
    const report = await selfCheckOf(info.name);
    assert.ok(report, `${info.name}: no self-check report`);
    assert.is(report!.computations, 14);
    assert.ok(report!.elements > 15_000);
    const before = tf.memory().numTensors;
    await selfCheck();
    assert.is(tf.memory().numTensors, before, `${info.name}: the self-check leaked tensors`);
    assert.is(selfCheckOf(info.name), selfCheckOf(info.name), "cached: the same promise");
  }
  assert.is((await selfCheckOf("cpu"))!.subnormals, "kept", "cpu computes in float64 and keeps subnormals");
});

test("a backend whose addN drops inputs past the 7th (tfjs-backend-webgpu's bug) is refused, naming op, expected and returned", async () => {
  const error = await withBrokenCpu("AddN", addNOfTheFirstSeven, refusal);
  assert.match(error.message, /^backend "cpu" failed gradlab's self-check and is refused/);
  assert.match(error.message, /addN of 40 tensors of shape \[3\]: element 0 \(and 2 more\): expected 820, returned 28 \(exact\)/);
  // Σ_{k≤7} k·k² = 784: the global norm reads √784 = 28, not 78
  assert.match(error.message, /global norm .* over 12 tensors: element 0: expected 78, returned 28 /);
  assert.equal(error.failures.map((f) => f.op.split(" ")[0]), ["addN", "global"]);
});

test("a backend that cannot see NaN is refused: the training loop's non-finite stop would be blind", async () => {
  const neverNaN = () => (args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo => {
    const x = args.inputs.x!;
    const backend = args.backend as unknown as { makeTensorInfo(shape: number[], dtype: string, v: Uint8Array): tf.TensorInfo };
    return backend.makeTensorInfo(x.shape, "bool", new Uint8Array(tf.util.sizeFromShape(x.shape)));
  };
  const error = await withBrokenCpu("IsNan", neverNaN, refusal);
  // [isFinite ×5, isNaN ×5, probes]: isNaN(NaN) is element 8
  assert.match(error.message, /isFinite, isNaN and sum\(g·0\) \(the non-finite probe\) of \[1, Inf, −Inf, NaN, −3e38\]: element 8: expected 1, returned 0 \(exact\)/);
});

test("an op that throws is refused, with its error", async () => {
  const error = await withBrokenCpu("BatchMatMul", () => () => {
    throw new Error("out of device memory");
  }, refusal);
  assert.match(error.message, /matMul of \[64, 48\] and \[48, 40\] integers: threw out of device memory/);
});

test("flushing subnormals to zero is not wrong (WGSL permits it): passed, and reported as flushed", async () => {
  // x > 0 read as 0 for a subnormal x: selu's gradient takes the x ≤ 0 branch, λα, as on NVIDIA's Vulkan driver
  const flushGreater = (greater: tf.KernelFunc): tf.KernelFunc => (args) => {
    const backend = args.backend as unknown as { readSync(id: object): Float32Array; makeTensorInfo(shape: number[], dtype: string, v: Float32Array): tf.TensorInfo };
    const a = args.inputs.a!;
    const flushed = backend.readSync(a.dataId).map((v) => (Math.abs(v) < 2 ** -126 ? 0 : v));
    const copy = backend.makeTensorInfo(a.shape, a.dtype, flushed);
    const out = greater({ ...args, inputs: { ...args.inputs, a: copy } }) as tf.TensorInfo;
    (args.backend as unknown as { disposeData(id: object): void }).disposeData(copy.dataId);
    return out;
  };
  const report = await withBrokenCpu("Greater", flushGreater, () => selfCheck());
  assert.is(report.subnormals, "flushed");
});

test("a subnormal answer that is neither exact nor flushed is refused", async () => {
  const error = await withBrokenCpu("ClipByValue", (clip) => (args) => clip({ ...args, attrs: { ...args.attrs, clipValueMax: -TINY } }), refusal);
  assert.match(error.message, /clipByValue\(\[−2\^-149, 2\^-149, 2\^-130, 3\], −2\^-149, 2\^-130\): element 1 \(and 2 more\): expected 1\.40\d*e-45, returned -1\.40\d*e-45 \(exact\)/);
});

test.run();
