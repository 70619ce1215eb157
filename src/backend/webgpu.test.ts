/**
 * WebGPU regression tests: the ops that returned stale values or zeros when tfjs-backend-webgpu
 * gave them more inputs than its device allowed (addN, stack, concat, sums of many tensors),
 * with 1 to 64 inputs, on the device gradlab requests; and the device watch that turns a
 * device error into an exception. The ops run where navigator.gpu finds an adapter (Deno);
 * elsewhere they are skipped, saying why. GRADLAB_REQUIRE_WEBGPU=1 (set by .ci/run once it has
 * installed Mesa) makes a missing adapter a failure instead.
 */
import * as tf from "@tensorflow/tfjs-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { useBackend } from "./mod.ts";
import { requireWebgpu, restoreBackendAfter, webgpuTests } from "./testing.ts";
import { inputsPerAddN } from "./_internals/webgpu-addn.ts";
import { watchDevice } from "./_internals/webgpu-device.ts";

const gpu = await webgpuTests();
const webgpu = gpu.info;

restoreBackendAfter(test);

test("the device watch: no error, no exception; after an error or a lost device, every check throws naming it", async () => {
  type Listener = (event: { error?: { message?: string } }) => void;
  let listener: Listener = () => {};
  let lose: (info: { reason?: string; message?: string }) => void = () => {};
  const device = {
    lost: new Promise<{ reason?: string; message?: string }>((resolve) => (lose = resolve)),
    addEventListener: (_type: "uncapturederror", l: Listener) => void (listener = l),
  };
  const watch = watchDevice(device);
  watch.throwIfFailed();
  listener({ error: { message: "Too many bindings of type StorageBuffers\n  at the pipeline" } });
  assert.throws(() => watch.throwIfFailed(), /GPU device reported an error.*Too many bindings of type StorageBuffers$/);
  listener({ error: { message: "a second error" } });
  assert.match(watch.error!, /^Too many bindings/, "the first error is the one kept");

  const lost = watchDevice({ ...device, lost: Promise.resolve({ reason: "destroyed", message: "driver reset" }) });
  await Promise.resolve();
  assert.throws(() => lost.throwIfFailed(), /device lost \(destroyed\): driver reset/);
  lose({});
});

test("inputsPerAddN: every storage buffer but the output's, at least two", () => {
  assert.is(inputsPerAddN(8), 7);
  assert.is(inputsPerAddN(16), 15);
  assert.is(inputsPerAddN(2), 2);
});

/** n tensors on the GPU (results of a GPU op, not host arrays tfjs could forward to its CPU kernels). */
function onDevice(n: number, shape: number[]): tf.Tensor[] {
  const size = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => tf.add(tf.reshape(tf.range(0, size, 1, "float32"), shape), (i + 1) * 1000));
}

if (!gpu.run) {
  console.log(gpu.skip);
  test.skip("webgpu: addN, stack, concat and sums of 1 to 64 tensors");
  test.skip("webgpu: gradlab's device has the adapter's storage-buffer limit");
} else {
  test("webgpu: addN, stack, concat and sums of 1 to 64 tensors are exact (small integers)", async () => {
    requireWebgpu(webgpu);
    await useBackend("webgpu");
    for (const shape of [[3], [12, 100]]) {
      const size = shape.reduce((a, b) => a * b, 1);
      const results: Array<{ what: string; n: number; t: tf.Tensor; want: (i: number) => number }> = [];
      for (let n = 1; n <= 64; n++) {
        // element j of tensor i is j + 1000·(i+1); of the sum, n·j + 1000·n(n+1)/2 (exact: below 2^24)
        const sum = (j: number) => n * j + (1000 * n * (n + 1)) / 2;
        const stacked = (k: number) => (k % size) + 1000 * (Math.floor(k / size) + 1);
        const [addN, stack, concat, sumOfStack, chain] = tf.tidy((): tf.Tensor[] => {
          const ts = onDevice(n, shape);
          // a chain of adds binds two inputs per op: the reference the others must match, once per shape
          const chain = n === 64 ? [ts.slice(1).reduce((a, b) => tf.add(a, b), tf.clone(ts[0]!))] : [];
          return [tf.addN(ts), tf.stack(ts), tf.concat(ts.map((t) => tf.reshape(t, [-1]))), tf.sum(tf.stack(ts), 0), ...chain];
        });
        results.push({ what: "addN", n, t: addN!, want: sum });
        results.push({ what: "stack", n, t: stack!, want: stacked });
        results.push({ what: "concat", n, t: concat!, want: stacked });
        results.push({ what: "sum(stack, 0)", n, t: sumOfStack!, want: sum });
        if (chain) results.push({ what: "chain of adds", n, t: chain, want: sum });
      }
      const values = await Promise.all(results.map((r) => r.t.data()));
      results.forEach(({ what, n, want }, k) => {
        const got = values[k]!;
        for (let j = 0; j < got.length; j++) {
          if (got[j] !== want(j)) assert.unreachable(`${what} of ${n} tensors of shape [${shape}]: element ${j} is ${got[j]}, expected ${want(j)}`);
        }
      });
      tf.dispose(results.map((r) => r.t));
    }
  });

  test("webgpu: gradlab's device has the adapter's storage-buffer limit, and says so", () => {
    requireWebgpu(webgpu);
    const limit = webgpu.gpu!.limits.find((l) => l.name === "maxStorageBuffersPerShaderStage")!;
    assert.is(limit.device, limit.adapter);
    assert.is(limit.default, 8);
    assert.match(webgpu.reason, new RegExp(`${limit.device} storage buffers per shader \\(WebGPU default 8\\)`));
  });
}

test.run();
