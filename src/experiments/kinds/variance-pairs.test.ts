import * as tf from "@tensorflow/tfjs-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { useBackend } from "../../backend/mod.ts";
import { activate, createModel, disposeModel, parameterOf, Rng } from "../../core/mod.ts";
import { experimentNamed, variancePairsRunOf } from "../mod.ts";
import { measureLayerVariances, perLayerRatio, VARIANCE_BAND, varianceStack } from "./variance-pairs.ts";

test.before(async () => {
  await useBackend();
});

// VARIANCE_BAND says E6 uses it, and `gradlab check` cites it as E6's band: the file must agree, in both profiles.
test("E6's experiment file measures with VARIANCE_BAND", () => {
  const e6 = experimentNamed("init-variance");
  for (const profile of ["quick", "full"] as const) assert.equal(variancePairsRunOf(e6.config(profile)).band, { ...VARIANCE_BAND }, profile);
});

test("perLayerRatio is the geometric mean of the layer-to-layer ratios", () => {
  assert.is(perLayerRatio([1, 0.5, 0.25]), 0.5);
  assert.is(perLayerRatio([2, 2, 2, 2]), 1);
});

/**
 * The written-out backward pass against tfjs autodiff: δ_l = ∂L/∂z_l through a zero offset
 * added to each z_l. Float32 sums over 64 rows × 16 units: rtol 1e-5 (a few ε₃₂ per term,
 * the two differ only in summation order).
 */
for (const activation of [{ name: "tanh" as const }, { name: "sigmoid" as const }, { name: "relu" as const }, { name: "elu" as const, alpha: 1 }]) {
  test(`backward variances equal autodiff's (${activation.name})`, async () => {
    const spec = varianceStack({ depth: 4, width: 16 }, activation, { name: "glorotNormal" });
    const rng = new Rng(7);
    const x = tf.randomNormal([64, 16], 0, 1, "float32", 1) as tf.Tensor2D;
    const r = tf.randomNormal([64, 16], 0, 1, "float32", 2) as tf.Tensor2D;
    const measured = await measureLayerVariances(spec, x, r, rng);
    const model = createModel(spec, rng.fork("init")); // the same draw measureLayerVariances makes
    const offsets = spec.layers.map(() => tf.zeros([64, 16]));
    const deltas = tf.grads((...es: tf.Tensor[]) => {
      let h: tf.Tensor = x;
      spec.layers.forEach((l, i) => {
        h = activate(l.activation, tf.add(tf.add(tf.matMul(h, parameterOf(model, i + 1, "kernel")!), parameterOf(model, i + 1, "bias")!), es[i]));
      });
      return tf.sum(tf.mul(h, r));
    })(offsets);
    const expected = await Promise.all(deltas.map(async (d) => (await tf.moments(d).variance.data())[0]));
    for (let i = 0; i < expected.length; i++) {
      const rel = Math.abs(measured.backwardVariance[i] - expected[i]) / expected[i];
      assert.ok(rel < 1e-5, `layer ${i + 1}: ${measured.backwardVariance[i]} vs autodiff ${expected[i]} (rel ${rel})`);
    }
    tf.dispose([x, r, ...offsets, ...deltas]);
    disposeModel(model);
  });
}

test.run();
