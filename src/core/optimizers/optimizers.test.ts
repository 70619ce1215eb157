import * as tf from "@tensorflow/tfjs-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { roundingTolerance } from "../float32.ts";
import { assertAllClose, testBackend } from "../testing.ts";
import { createOptimizer } from "./mod.ts";
import type { OptimizerSpec } from "../train-config.ts";

// A few float32 operations per step on O(1) values, three steps.
const RTOL = roundingTolerance(40);
const ATOL = roundingTolerance(40);

test.before(async () => {
  await testBackend();
});

const theta0 = [1.0, -2.0, 0.5];
const grads = [[0.1, -0.4, 2.0], [0.3, 0.2, -1.0], [-0.5, 0.0, 0.25]];

/** Runs three updates through the optimizer and returns θ after each. */
async function run(spec: OptimizerSpec): Promise<number[][]> {
  const v = tf.variable(tf.tensor1d(theta0));
  const opt = createOptimizer(spec, [v]);
  const out: number[][] = [];
  for (const g of grads) {
    opt.apply([tf.tensor1d(g)]);
    out.push(Array.from(await v.data()));
  }
  opt.dispose();
  v.dispose();
  return out;
}

test("sgd: θ ← θ − lr·g", async () => {
  const lr = 0.1;
  let th = [...theta0];
  const expected = grads.map((g) => (th = th.map((t, i) => t - lr * g[i])));
  (await run({ name: "sgd", learningRate: lr })).forEach((a, k) => assertAllClose(a, expected[k], RTOL, ATOL, `step ${k + 1}`));
});

test("momentum: v ← μv + g; θ ← θ − lr·v (and Nesterov θ ← θ − lr·(g + μv))", async () => {
  const lr = 0.01, mu = 0.9;
  for (const nesterov of [false, true]) {
    let th = [...theta0];
    let vel = [0, 0, 0];
    const expected = grads.map((g) => {
      vel = vel.map((v, i) => mu * v + g[i]);
      return (th = th.map((t, i) => t - lr * (nesterov ? g[i] + mu * vel[i] : vel[i])));
    });
    (await run({ name: "momentum", learningRate: lr, momentum: mu, nesterov })).forEach((a, k) =>
      assertAllClose(a, expected[k], RTOL, ATOL, `nesterov=${nesterov} step ${k + 1}`)
    );
  }
});

test("adam (TF1 form): lr_t = lr·√(1−β2^t)/(1−β1^t); θ ← θ − lr_t·m/(√v + ε)", async () => {
  const lr = 0.001, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  let th = [...theta0];
  let m = [0, 0, 0];
  let v = [0, 0, 0];
  const expected = grads.map((g, k) => {
    const t = k + 1;
    m = m.map((x, i) => b1 * x + (1 - b1) * g[i]);
    v = v.map((x, i) => b2 * x + (1 - b2) * g[i] * g[i]);
    const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    return (th = th.map((x, i) => x - (lrT * m[i]) / (Math.sqrt(v[i]) + eps)));
  });
  // First step of Adam moves every coordinate with g≠0 by ≈ lr: a sanity anchor independent of the formula above.
  const got = await run({ name: "adam", learningRate: lr, beta1: b1, beta2: b2, epsilon: eps });
  assertAllClose(got[0].map((x, i) => Math.abs(x - theta0[i])), [lr, lr, lr], 1e-4, 0, "first-step size ≈ lr");
  got.forEach((a, k) => assertAllClose(a, expected[k], RTOL, ATOL, `step ${k + 1}`));
});

test("an update with the wrong number of gradients, or a gradient of another size, is refused naming both", () => {
  const v = [tf.variable(tf.tensor1d([1, 2])), tf.variable(tf.tensor2d([[1, 2, 3]]))];
  for (const spec of [{ name: "sgd", learningRate: 0.1 }, { name: "momentum", learningRate: 0.1, momentum: 0.9, nesterov: false }, {
    name: "adam", learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
  }] as OptimizerSpec[]) {
    const opt = createOptimizer(spec, v);
    const g = [tf.tensor1d([1, 1]), tf.tensor1d([1, 1])];
    assert.throws(() => opt.apply([g[0]]), (e: Error) => e.message === "optimizer: 1 gradients for 2 variables", spec.name);
    assert.throws(() => opt.apply(g), (e: Error) => e.message.startsWith("optimizer: gradient 1 has shape [2], variable ") && e.message.endsWith(" has [1,3]"), spec.name);
    opt.dispose();
    tf.dispose(g);
  }
  tf.dispose(v);
});

test.run();
