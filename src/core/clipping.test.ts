/**
 * Clipping refuses limits it cannot apply, naming the function and the value; what it computes
 * is the clipping laws' business (properties/clipping/).
 */
import * as tf from "@tensorflow/tfjs-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { clipByGlobalNorm, clipByNorm, clipByValue } from "./clipping.ts";
import { testBackend } from "./testing.ts";

test.before(async () => {
  await testBackend();
});

test("a limit that is not > 0, or bounds out of order, is refused", () => {
  const t = tf.tensor1d([3, 4]);
  for (const c of [0, -1, NaN]) {
    assert.throws(() => clipByGlobalNorm([t], c), (e: Error) => e.message === `clipByGlobalNorm: maxNorm must be > 0, got ${c}`);
    assert.throws(() => clipByNorm(t, c), (e: Error) => e.message === `clipByNorm: maxNorm must be > 0, got ${c}`);
  }
  assert.throws(() => clipByValue(t, 2, 1), (e: Error) => e.message === "clipByValue: min must be ≤ max, got [2, 1]");
  assert.throws(() => clipByValue(t, NaN, 1), (e: Error) => e.message === "clipByValue: min must be ≤ max, got [NaN, 1]");
  const equal = clipByValue(t, 3.5, 3.5);
  assert.equal(Array.from(equal.dataSync()), [3.5, 3.5]);
  tf.dispose([t, equal]);
});

test.run();
