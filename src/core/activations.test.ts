/**
 * Labels of activations for people, and the linear activation's derivative (1: no law covers
 * it); what the other activations compute is the activation laws' business (properties/activations/).
 */
import * as tf from "@tensorflow/tfjs-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { activationLabel, derivativeFromOutput, multiplyByDerivative } from "./activations.ts";
import { testBackend } from "./testing.ts";

test.before(async () => {
  await testBackend();
});

test("the linear activation's derivative is 1: derivativeFromOutput gives ones, multiplyByDerivative leaves dHᵀ as it is", () => {
  const h = tf.tensor1d([-2, 0, 3.5]);
  const d = derivativeFromOutput({ name: "linear" }, h);
  assert.equal(Array.from(d.dataSync()), [1, 1, 1]);
  tf.dispose([h, d]);
  const dHT = Float32Array.of(1, -2, 3, -4);
  multiplyByDerivative({ name: "linear" }, dHT, Float32Array.of(-1, 0, 1, 2), 2, 2);
  assert.equal(Array.from(dHT), [1, -2, 3, -4]);
});

test("an activation's label is its name, with α where it has one", () => {
  assert.is(activationLabel({ name: "tanh" }), "tanh");
  assert.is(activationLabel({ name: "leakyRelu", alpha: 0.01 }), "leakyRelu(0.01)");
  assert.is(activationLabel({ name: "elu", alpha: 1 }), "elu(1)");
});

test.run();
