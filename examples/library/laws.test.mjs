// Checks your activation and your layer with gradlab's laws: node --test, bun test or deno test -A.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertLaw, glorotConditionOfLayer, LawViolation, sigmoidDerivative } from "gradlab";
import { heLayer, myLayer, mySigmoid, naiveSigmoid } from "./my-net.mjs";

const options = { backend: "wasm", seed: 20261125 };

/** The LawViolation a law must fail with (its message holds the counterexample and its replay). */
async function violation(law) {
  const error = await assertLaw(law, options).then(() => null, (e) => e);
  assert.ok(error instanceof LawViolation, `expected the law to fail, got ${error}`);
  assert.match(error.message, /counterexample \(shrunk \d+ times\)[\s\S]*replay: assertLaw/);
  console.log(error.message);
}

test("my sigmoid obeys the sigmoid law", () => assertLaw(sigmoidDerivative((_spec, z) => mySigmoid(z)), options));
test("my layer meets the Glorot condition", () => assertLaw(glorotConditionOfLayer(myLayer), options));
test("the naive sigmoid fails it", () => violation(sigmoidDerivative((_spec, z) => naiveSigmoid(z))));
test("a He-initialized layer fails it", () => violation(glorotConditionOfLayer(heLayer)));
