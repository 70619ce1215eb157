/**
 * The isolated product: a replica's NaN or ±Inf reaches neither another replica's product nor
 * its gradients, a finite replica's numbers are bitwise tfjs's own matMul and BatchMatMul
 * gradient, and the marks name exactly the replicas whose operands were non-finite. On cpu, and
 * under Deno on WebGPU with each of the tiled kernels that read past the inner size (where the
 * plain product is shown to leak, so the test bites).
 */
import * as tf from "@tensorflow/tfjs-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { useBackend } from "../../backend/mod.ts";
import { restoreBackendAfter, webgpuTests } from "../../backend/testing.ts";
import { isolatedProduct } from "./isolated-product.ts";

restoreBackendAfter(test);

/** [2, rows, inner] × [2, inner, out]: element 0 random, element 1's kernel (or ∂z) filled with `fill`. */
const ROWS = 256, INNER = 30, OUT = 10;

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** Element 0 of the product and of both gradients, and the marks, with element 1's `where` non-finite. */
async function run(product: "plain" | "isolated", where: "kernel" | "upstream", fill: number) {
  return tf.tidy(() => {
    const h0 = tf.randomNormal([ROWS, INNER], 0, 1, "float32", 1);
    const w0 = tf.randomNormal([INNER, OUT], 0, 1, "float32", 2);
    const h = tf.stack([h0, h0]);
    const w = tf.stack([w0, where === "kernel" ? tf.fill([INNER, OUT], fill) : w0]);
    const dz = tf.stack([tf.randomNormal([ROWS, OUT], 0, 1, "float32", 3), tf.fill([ROWS, OUT], where === "upstream" ? fill : 1)]);
    const marks: tf.Tensor[] = [];
    const f = (a: tf.Tensor, b: tf.Tensor) => (product === "plain" ? tf.matMul(a, b) : isolatedProduct(a, b, true, marks));
    const z = f(h, w);
    // ∂(Σ z ⊙ dz)/∂h and ∂/∂w: the backward products with dz as the upstream gradient.
    const [dh, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), dz)))([h, w]);
    const first = (t: tf.Tensor) => tf.slice(t, [0, 0, 0], [1, -1, -1]);
    return { z: first(z), dh: first(dh!), dw: first(dw!), marks: marks.length ? tf.any(tf.stack(marks), 0) : tf.zeros([2], "bool") };
  });
}

async function checkIsolation(label: string) {
  for (const where of ["kernel", "upstream"] as const) {
    for (const fill of [NaN, Infinity]) {
      const clean = await run("isolated", where, 1);
      const got = await run("isolated", where, fill);
      for (const part of ["z", "dh", "dw"] as const) {
        const a = await values(got[part]), b = await values(clean[part]);
        assert.ok(a.every((v, i) => Object.is(v, b[i])), `${label}: element 0's ${part} changed with ${fill} in element 1's ${where}`);
      }
      assert.equal(await values(got.marks), [0, 1], `${label}: the marks name replica 1 only (${fill} in its ${where})`);
      assert.equal(await values(clean.marks), [0, 0]);
      tf.dispose([...Object.values(clean), ...Object.values(got)]);
    }
  }
  // Finite operands: bitwise tfjs's own product and gradients.
  const plain = await run("plain", "kernel", 0.5), isolated = await run("isolated", "kernel", 0.5);
  for (const part of ["z", "dh", "dw"] as const) assert.equal(await values(isolated[part]), await values(plain[part]), `${label}: ${part}`);
  tf.dispose([...Object.values(plain), ...Object.values(isolated)]);
}

test("cpu: one replica's NaN or ±Inf reaches no other replica's product or gradient; finite replicas are bitwise tfjs's matMul", async () => {
  await useBackend("cpu");
  await checkIsolation("cpu");
});

const gpu = await webgpuTests();
if (gpu.run) {
  test("webgpu: the tiled kernels leak a NaN from one batch element into another, and the isolated product does not", async () => {
    await useBackend("webgpu");
    // 3: MatMulPackedProgram, 2: MatMulSmallOutputSizeProgram (tfjs-backend-webgpu's MatMulProgramType).
    const before = tf.env().get("WEBGPU_MATMUL_PROGRAM_TYPE");
    try {
      for (const type of [3, 2]) {
        tf.env().set("WEBGPU_MATMUL_PROGRAM_TYPE", type);
        const leaked = await run("plain", "kernel", NaN);
        assert.ok((await values(leaked.z)).some(Number.isNaN), `kernel ${type} no longer leaks (tfjs fixed mm_readB?): isolated-product.ts may go`);
        tf.dispose(Object.values(leaked));
        await checkIsolation(`webgpu kernel ${type}`);
      }
    } finally {
      tf.env().set("WEBGPU_MATMUL_PROGRAM_TYPE", before);
    }
  });
} else {
  console.log(gpu.skip);
}

test.run();
