/** Labels of activations for people; what the activations compute is the activation laws' business (properties/activations/). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { activationLabel } from "./activations.ts";

test("an activation's label is its name, with α where it has one", () => {
  assert.is(activationLabel({ name: "tanh" }), "tanh");
  assert.is(activationLabel({ name: "leakyRelu", alpha: 0.01 }), "leakyRelu(0.01)");
  assert.is(activationLabel({ name: "elu", alpha: 1 }), "elu(1)");
});

test.run();
