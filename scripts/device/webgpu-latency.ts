/**
 * Where a webgpu training step's time goes, in three numbers (run under Deno on a GPU machine,
 * after scripts/device/webgpu-bench.sh has unpacked node_modules): a 256×30 sum read back
 * (one float), one 256×784×30 matMul with its read-back, and 100 small chained ops with one read-back.
 *
 *   deno run -A scripts/device/webgpu-latency.ts
 */
import * as tf from "@tensorflow/tfjs-core";
import { useBackend } from "../../src/backend/mod.ts";

await useBackend("webgpu");
async function median(label: string, n: number, f: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 5; i++) await f();
  const ts: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  console.log(`${label}: median ${ts[n >> 1].toFixed(2)} ms, min ${ts[0].toFixed(2)} ms (${n} runs)`);
}
const x = tf.randomNormal([256, 784]);
const w = tf.randomNormal([784, 30]);
const h = tf.randomNormal([256, 30]);
await median("sum of 256×30 on the GPU + read back", 50, async () => {
  const t = tf.sum(h);
  await t.data();
  t.dispose();
});
await median("matMul 256×784×30 + read back", 50, async () => {
  const t = tf.matMul(x, w);
  await t.data();
  t.dispose();
});
await median("100 chained small ops + read back", 20, async () => {
  const t = tf.tidy(() => {
    let y = h;
    for (let i = 0; i < 100; i++) y = tf.add(y, 0.001);
    return tf.sum(y);
  });
  await t.data();
  t.dispose();
});
