/**
 * What a non-finite loss is blamed on (locateNonFiniteForward, which both engines call): the
 * first non-finite parameter, else the first layer whose output is non-finite, else the loss.
 */
import * as tf from "@tensorflow/tfjs-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { locateNonFiniteForward } from "./autodiff-engine.ts";
import { createModel, disposeModel } from "./model.ts";
import { denseStack } from "./model-spec.ts";
import { Rng } from "./random.ts";
import { testBackend } from "./testing.ts";

test.before(async () => {
  await testBackend();
});

/** A 2 → 3 → 3 → 1 linear net with every kernel weight `w[l]` and the input `x`. */
async function blame(w: number[], x: number, nanAt?: number): Promise<string> {
  const model = createModel(denseStack(2, [3, 3, 1], { name: "linear" }, { name: "zeros" }), new Rng(1));
  tf.tidy(() => model.parameters.filter((p) => p.role === "kernel").forEach((p, l) => {
    const v = new Float32Array(p.variable.size).fill(w[l]);
    if (l === nanAt) v[1] = NaN;
    p.variable.assign(tf.tensor(v, p.variable.shape));
  }));
  const input = tf.tensor2d([[x, x]]);
  try {
    return (await locateNonFiniteForward(model, input)).text;
  } finally {
    input.dispose();
    disposeModel(model);
  }
}

test("a non-finite parameter is named first, then the first non-finite layer output, else the loss", async () => {
  const before = tf.memory().numTensors;
  assert.is(await blame([1, 1, 1], 1, 1), "parameter dense2/kernel (layer 2) holds a non-finite value (element [0, 1] is NaN)");
  assert.is(await blame([1, 1, 1], 1, 0), "parameter dense1/kernel (layer 1) holds a non-finite value (element [0, 1] is NaN)");
  assert.is(await blame([1e30, 1e30, 1], 1e10), "the output of layer 1 is the first non-finite one (element [0, 0] is +Inf)");
  assert.is(await blame([1, 1e30, 1e30], 1e10), "the output of layer 2 is the first non-finite one (element [0, 0] is +Inf)");
  assert.is(await blame([1, 1, 1], 1), "no layer output is non-finite (the loss itself overflowed)");
  assert.is(tf.memory().numTensors, before, "locating frees what it computes");
});

test("the forward pass is re-run in training mode: batch norm normalizes with the batch's statistics", async () => {
  // One row: in training mode batch norm centres it to β = 0 and layer 2 sees zeros; with the
  // moving statistics (inference mode) layer 2 would see 2e30 and overflow.
  const spec = denseStack(2, [2, 1], { name: "linear" }, { name: "constant", value: 1e30 }, { batchNorm: { momentum: 0.9, epsilon: 1e-3 } });
  spec.layers[1] = { ...spec.layers[1], kernelInitializer: { name: "constant", value: 1e10 } };
  const model = createModel(spec, new Rng(1));
  const input = tf.tensor2d([[1, 1]]);
  try {
    assert.is((await locateNonFiniteForward(model, input)).text, "no layer output is non-finite (the loss itself overflowed)");
  } finally {
    input.dispose();
    disposeModel(model);
  }
});

test.run();
