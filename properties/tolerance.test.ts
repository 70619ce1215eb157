/** The tolerance module's building blocks. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BACKEND_NAMES } from "../src/backend/mod.ts";
import { Rng } from "../src/core/mod.ts";
import {
  BACKEND_TOLERANCE, type Bounded, boundedArithmetic, F32_U, gamma, kernelCloseness, ksThreshold, toleranceFor, ulp32, Z_FALSE_ALARM,
} from "./tolerance.ts";

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

test("running-error bounds hold for float32 evaluations, and are not loose by orders of magnitude", () => {
  // Random chains of + − × ÷ √ and sums, evaluated once in float64 with bounds and once in
  // float32 (every result rounded), on values whose signs make cancellation common.
  const ar = boundedArithmetic(toleranceFor("cpu"));
  const rng = new Rng(11);
  let worst = 0;
  for (let trial = 0; trial < 2000; trial++) {
    const x0 = Math.fround(rng.normal() * 10 ** rng.uniformIn(-3, 3));
    let ref: Bounded = ar.exact(x0), f32 = x0;
    for (let step = 0; step < 8; step++) {
      const c = rng.normal() * 10 ** rng.uniformIn(-2, 2);
      const y = Math.fround(c);
      switch (rng.int(6)) {
        case 0: ref = ar.add(ref, ar.exact(y)); f32 = Math.fround(f32 + y); break;
        case 1: ref = ar.sub(ref, ar.constant(c)); f32 = Math.fround(f32 - y); break;
        case 2: ref = ar.mul(ref, ar.constant(c)); f32 = Math.fround(f32 * y); break;
        case 3: ref = ar.div(ref, ar.exact(y)); f32 = Math.fround(f32 / y); break;
        case 4: ref = ar.sqrt(ar.max(ref, ar.exact(0))); f32 = Math.fround(Math.sqrt(Math.max(f32, 0))); break;
        case 5: {
          const ts = [ref, ar.exact(y), ar.constant(-y / 3)];
          ref = ar.sum(ts);
          f32 = Math.fround(Math.fround(f32 + y) + Math.fround(-y / 3));
          break;
        }
      }
    }
    const err = Math.abs(f32 - ref.v);
    assert.ok(err <= 2 * ref.e, `trial ${trial}: |${f32} − ${ref.v}| = ${err} > 2·${ref.e}`);
    if (ref.e > 0 && err > 0) worst = Math.max(worst, err / ref.e);
  }
  assert.ok(worst > 1e-2, `the bounds are never approached (largest error/bound ${worst})`);
});

test.run();
