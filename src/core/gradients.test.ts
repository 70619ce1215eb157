import * as tf from "@tensorflow/tfjs-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { roundingTolerance } from "./float32.ts";
import { lossAndGradients } from "./gradients.ts";
import { createModel, forward } from "./model.ts";
import { Rng } from "./random.ts";
import { assertAllClose, assertClose, testBackend } from "./testing.ts";

// Every value below passes through fewer than ~30 float32 roundings of O(1) quantities.
const RTOL = roundingTolerance(30);
const ATOL = roundingTolerance(30);

test.before(async () => {
  await testBackend();
});

const sig = (z: number) => 1 / (1 + Math.exp(-z));

test("2-layer sigmoid net: forward and backward match hand computation (MSE)", async () => {
  const model = createModel({
    inputSize: 2,
    layers: [
      { units: 2, activation: { name: "sigmoid" }, kernelInitializer: { name: "zeros" }, useBias: true },
      { units: 1, activation: { name: "linear" }, kernelInitializer: { name: "zeros" }, useBias: true },
    ],
  }, new Rng(1));
  const W1 = [[0.5, -0.3], [0.8, 0.1]];
  const b1 = [0.1, -0.2];
  const W2 = [[1.5], [-0.7]];
  const b2 = [0.05];
  const [pW1, pb1, pW2, pb2] = model.parameters.map((p) => p.variable);
  pW1.assign(tf.tensor2d(W1));
  pb1.assign(tf.tensor1d(b1));
  pW2.assign(tf.tensor2d(W2));
  pb2.assign(tf.tensor1d(b2));
  const X = [[1, 2], [-0.5, 0.25]];
  const Y = [[0.3], [-1]];

  // Hand computation in float64.
  const m = X.length;
  const z1 = X.map((x) => [0, 1].map((j) => x[0] * W1[0][j] + x[1] * W1[1][j] + b1[j]));
  const h = z1.map((r) => r.map(sig));
  const out = h.map((r) => r[0] * W2[0][0] + r[1] * W2[1][0] + b2[0]);
  const L = out.reduce((s, o, i) => s + (Y[i][0] - o) ** 2, 0) / m;
  const dout = out.map((o, i) => (2 * (o - Y[i][0])) / m);
  const dW2 = [0, 1].map((j) => h.reduce((s, r, i) => s + r[j] * dout[i], 0));
  const db2 = dout.reduce((s, d) => s + d, 0);
  const dz1 = h.map((r, i) => [0, 1].map((j) => dout[i] * W2[j][0] * r[j] * (1 - r[j])));
  const dW1 = [0, 1].flatMap((a) => [0, 1].map((j) => X.reduce((s, x, i) => s + x[a] * dz1[i][j], 0)));
  const db1 = [0, 1].map((j) => dz1.reduce((s, d) => s + d[j], 0));

  const x = tf.tensor2d(X);
  const y = tf.tensor2d(Y);
  const fwd = forward(model, x, "train");
  assertAllClose(await fwd.output.data(), out, RTOL, ATOL, "output");
  const r = lossAndGradients(model, x, y, "mse");
  assertClose((await r.loss.data())[0], L, RTOL, ATOL, "loss");
  const names = model.parameters.map((p) => p.name);
  assert.equal(names, ["dense1/kernel", "dense1/bias", "dense2/kernel", "dense2/bias"]);
  assertAllClose(await r.gradients[0].data(), dW1, RTOL, ATOL, "dL/dW1");
  assertAllClose(await r.gradients[1].data(), db1, RTOL, ATOL, "dL/db1");
  assertAllClose(await r.gradients[2].data(), dW2, RTOL, ATOL, "dL/dW2");
  assertAllClose(await r.gradients[3].data(), [db2], RTOL, ATOL, "dL/db2");
});

test("softmax cross-entropy: loss is mean(logsumexp − z_y) and dL/dz = (softmax − y)/m", async () => {
  const model = createModel({
    inputSize: 3,
    layers: [{ units: 3, activation: { name: "linear" }, kernelInitializer: { name: "zeros" }, useBias: false }],
  }, new Rng(1));
  model.parameters[0].variable.assign(tf.eye(3)); // logits = x
  const Z = [[1, 2, 3], [0.5, -1, 0]];
  const labels = [2, 0];
  const onehot = labels.map((l) => [0, 1, 2].map((k) => (k === l ? 1 : 0)));
  const m = Z.length;
  let L = 0;
  const dZ = Z.map((z, i) => {
    const lse = Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
    L += (lse - z[labels[i]]) / m;
    return z.map((v, k) => (Math.exp(v - lse) - onehot[i][k]) / m);
  });
  // dL/dW = xᵀ dZ with x = Z.
  const dW = [0, 1, 2].flatMap((a) => [0, 1, 2].map((k) => Z.reduce((s, z, i) => s + z[a] * dZ[i][k], 0)));
  for (const lossName of ["softmaxCrossEntropy", "sparseSoftmaxCrossEntropy"] as const) {
    const r = lossAndGradients(model, tf.tensor2d(Z), tf.tensor2d(onehot), lossName);
    assertClose((await r.loss.data())[0], L, RTOL, ATOL, `${lossName} loss`);
    assertAllClose(await r.gradients[0].data(), dW, RTOL, ATOL, `${lossName} dL/dW`);
  }
});

test("batch-normalized layer: gradients of γ and β are Σ δ·x̂ and Σ δ", async () => {
  const model = createModel({
    inputSize: 1,
    layers: [{ units: 1, activation: { name: "linear" }, kernelInitializer: { name: "constant", value: 1 }, useBias: false, batchNorm: { momentum: 0.9, epsilon: 1e-3 } }],
  }, new Rng(1));
  const xs = [1, 2, 4];
  const t = [0, 1, 0];
  const mean = xs.reduce((a, b) => a + b) / 3;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / 3; // biased, 1/m
  const xhat = xs.map((x) => (x - mean) / Math.sqrt(v + 1e-3));
  const delta = xhat.map((o, i) => (2 * (o - t[i])) / 3);
  const r = lossAndGradients(model, tf.tensor2d(xs, [3, 1]), tf.tensor2d(t, [3, 1]), "mse");
  const byName = Object.fromEntries(model.parameters.map((p, i) => [p.name, r.gradients[i]]));
  assertClose((await byName["bn1/gamma"].data())[0], delta.reduce((s, d, i) => s + d * xhat[i], 0), RTOL, ATOL, "dL/dγ");
  assertClose((await byName["bn1/beta"].data())[0], delta.reduce((s, d) => s + d, 0), RTOL, ATOL, "dL/dβ");
  assertAllClose(await r.batchStats[0].mean.data(), [mean], RTOL, ATOL, "batch mean");
  assertAllClose(await r.batchStats[0].variance.data(), [v], RTOL, ATOL, "batch variance (biased)");
});

test.run();
