import * as tf from "@tensorflow/tfjs-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { initialValues, initializerDistribution, TRUNCATED_NORMAL_STDDEV } from "./initializers.ts";
import { createModel } from "./model.ts";
import type { InitializerSpec } from "./model-spec.ts";
import { Rng } from "./random.ts";
import { testBackend } from "./testing.ts";

test.before(async () => {
  await testBackend();
});

const FAN_IN = 300;
const FAN_OUT = 100;
const N = FAN_IN * FAN_OUT;

// Limits the spec implies, computed independently of the implementation.
const cases: [InitializerSpec, "uniform" | "normal" | "truncated" | "constant", number][] = [
  [{ name: "glorotUniform" }, "uniform", Math.sqrt(6 / (FAN_IN + FAN_OUT))],
  [{ name: "glorotNormal" }, "normal", Math.sqrt(2 / (FAN_IN + FAN_OUT))],
  [{ name: "heUniform" }, "uniform", Math.sqrt(6 / FAN_IN)],
  [{ name: "heNormal" }, "normal", Math.sqrt(2 / FAN_IN)],
  [{ name: "lecunUniform" }, "uniform", Math.sqrt(3 / FAN_IN)],
  [{ name: "lecunNormal" }, "normal", Math.sqrt(1 / FAN_IN)],
  [{ name: "glorotUniform", gain: 4 }, "uniform", 4 * Math.sqrt(6 / (FAN_IN + FAN_OUT))],
  [{ name: "randomUniform", limit: 0.05 }, "uniform", 0.05],
  [{ name: "torchDefault" }, "uniform", 1 / Math.sqrt(FAN_IN)],
  [{ name: "randomNormal", stddev: 0.01 }, "normal", 0.01],
  [{ name: "truncatedNormal", stddev: 0.1 }, "truncated", 0.1],
  [{ name: "varianceScaling", scale: 2, mode: "fanIn", distribution: "truncatedNormalTf1" }, "truncated", Math.sqrt(1.3 * 2 / FAN_IN)],
  [{ name: "varianceScaling", scale: 1, mode: "fanAvg", distribution: "truncatedNormal" }, "truncated", Math.sqrt(2 / (FAN_IN + FAN_OUT)) / TRUNCATED_NORMAL_STDDEV],
  [{ name: "zeros" }, "constant", 0],
  [{ name: "constant", value: 0.25 }, "constant", 0.25],
];

for (const [spec, kind, p] of cases) {
  test(`${JSON.stringify(spec)}: ${kind} with parameter ${p.toPrecision(4)}`, () => {
    const v = initialValues(spec, N, FAN_IN, FAN_OUT, new Rng(3));
    assert.is(v.length, N);
    const d = initializerDistribution(spec, FAN_IN, FAN_OUT);
    if (kind === "constant") {
      assert.ok(v.every((x) => x === Math.fround(p)), "every value equals the constant");
      return;
    }
    if (kind === "uniform") {
      assert.ok(Math.abs(d.limit! - p) <= 1e-12 * p, `limit ${d.limit} ≠ ${p}`);
      // float32 rounding can land exactly on the bound, never beyond it.
      assert.ok(v.every((x) => Math.abs(x) <= Math.fround(p)), "all within ±r");
      assert.ok(Math.abs(d.variance - p * p / 3) <= 1e-12, "variance r²/3");
    } else {
      assert.ok(Math.abs(d.stddev! - p) <= 1e-12 * p, `σ ${d.stddev} ≠ ${p}`);
      if (kind === "truncated") assert.ok(v.every((x) => Math.abs(x) <= Math.fround(2 * p) * (1 + 2 ** -23)), "all within 2σ");
      else assert.ok(v.some((x) => Math.abs(x) > 2 * p), "a plain normal has values beyond 2σ in 30,000 draws (P(none) < 1e-300)");
    }
    // Sample standard deviation within 5% — 30,000 draws put the relative standard error of
    // the sample variance near √(2/N) ≈ 0.8%, so 5% is over 6 standard errors.
    const mean = v.reduce((a, b) => a + b, 0) / N;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / (N - 1);
    assert.ok(Math.abs(variance / d.variance - 1) < 0.05, `sample variance ${variance} vs ${d.variance}`);
  });
}

test("createModel: shapes, names, zero biases, BN γ=1 β=0, moving stats 0/1", async () => {
  const model = createModel({
    inputSize: 784,
    layers: [
      { units: 300, activation: { name: "elu", alpha: 1 }, kernelInitializer: { name: "heNormal" }, useBias: true, batchNorm: { momentum: 0.9, epsilon: 1e-3 } },
      { units: 10, activation: { name: "linear" }, kernelInitializer: { name: "glorotUniform" }, useBias: false },
    ],
  }, new Rng(9));
  assert.equal(model.parameters.map((p) => [p.name, p.variable.shape]), [
    ["dense1/kernel", [784, 300]],
    ["dense1/bias", [300]],
    ["bn1/gamma", [300]],
    ["bn1/beta", [300]],
    ["dense2/kernel", [300, 10]],
  ]);
  const sum = async (t: tf.Tensor) => (await tf.sum(t).data())[0];
  assert.is(await sum(model.parameters[1].variable), 0);
  assert.is(await sum(model.parameters[2].variable), 300);
  assert.is(await sum(model.parameters[3].variable), 0);
  assert.is(await sum(model.batchNorm[0]!.movingMean), 0);
  assert.is(await sum(model.batchNorm[0]!.movingVariance), 300);
  assert.is(model.batchNorm[1], null);
});

test("createModel: the same seed draws the same weights; another seed does not", async () => {
  const spec = { inputSize: 5, layers: [{ units: 4, activation: { name: "relu" as const }, kernelInitializer: { name: "heUniform" as const }, useBias: false }] };
  const a = await createModel(spec, new Rng(11)).parameters[0].variable.data();
  const b = await createModel(spec, new Rng(11)).parameters[0].variable.data();
  const c = await createModel(spec, new Rng(12)).parameters[0].variable.data();
  assert.equal(Array.from(a), Array.from(b));
  assert.not.equal(Array.from(a), Array.from(c));
});

test.run();
