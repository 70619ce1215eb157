/** The tolerance module's building blocks. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BACKEND_NAMES } from "../src/backend/mod.ts";
import { BACKEND_TOLERANCE, F32_U, gamma, kernelCloseness, ksThreshold, toleranceFor, ulp32, Z_FALSE_ALARM } from "./tolerance.ts";

test("float32 constants: ulp and Higham's γ_n", () => {
  assert.is(ulp32(1), 2 ** -23);
  assert.is(ulp32(0.75), 2 ** -24);
  assert.is(ulp32(1e-40), 2 ** -149);
  assert.ok(Math.abs(gamma(10) - (10 * F32_U) / (1 - 10 * F32_U)) < 1e-20);
  assert.throws(() => gamma(2 ** 24), /void/);
});

test("every backend gradlab knows has its own tolerance, cpu the tightest", () => {
  for (const name of BACKEND_NAMES) assert.is(toleranceFor(name).backend, name);
  assert.equal(Object.keys(BACKEND_TOLERANCE).sort(), [...BACKEND_NAMES].sort());
  assert.equal(kernelCloseness(toleranceFor("cpu")), { rtol: F32_U, atol: 4 * 2 ** -149 });
  assert.equal(toleranceFor("cpu").agreement, { rtol: 0, atol: 0 });
  for (const name of BACKEND_NAMES) assert.ok(toleranceFor(name).kernelUlps >= toleranceFor("cpu").kernelUlps);
});

test("sampling thresholds at the false-alarm rate 1e-6", () => {
  assert.ok(Math.abs(Z_FALSE_ALARM - 4.8916) < 1e-3);
  assert.ok(Math.abs(ksThreshold(10_000) - 0.02693) < 1e-4);
});

test.run();
