import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkSeed, Rng } from "./random.ts";

test("the same seed gives the same stream; forks are named and independent of position", () => {
  const a = new Rng(42), b = new Rng(42);
  assert.equal([a.uint32(), a.uniform(), a.normal()], [b.uint32(), b.uniform(), b.normal()]);
  const f1 = new Rng(42).fork("init");
  const r = new Rng(42);
  r.uniform();
  assert.is(r.fork("init").uint32(), f1.uint32(), "fork depends on seed and label, not on draws made");
  assert.is.not(new Rng(42).fork("init").uint32(), new Rng(42).fork("shuffle").uint32());
});

test("uniform in [0,1), int in [0,n), permutation is a permutation", () => {
  const r = new Rng(7);
  for (let i = 0; i < 10000; i++) {
    const u = r.uniform();
    assert.ok(u >= 0 && u < 1);
    const k = r.int(10);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 10);
  }
  const p = Array.from(r.permutation(1000)).sort((x, y) => x - y);
  assert.equal(p, Array.from({ length: 1000 }, (_, i) => i));
});

test("normal draws have mean ≈ 0 and variance ≈ 1; truncated draws stay within 2σ", () => {
  const r = new Rng(3);
  const n = 100000;
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    s += z;
    s2 += z * z;
  }
  // Standard errors: mean 1/√n ≈ 0.0032, variance √(2/n) ≈ 0.0045; allow 6 of them.
  assert.ok(Math.abs(s / n) < 6 / Math.sqrt(n));
  assert.ok(Math.abs(s2 / n - 1) < 6 * Math.sqrt(2 / n));
  for (let i = 0; i < 10000; i++) assert.ok(Math.abs(r.truncatedNormal(1, 0.5) - 1) <= 1);
});

test("bad seeds are refused with the value named", () => {
  assert.throws(() => checkSeed(-1), /seed: expected an integer in \[0, 4294967295\], got -1/);
  assert.throws(() => checkSeed(1.5, "--seed"), /--seed: expected an integer/);
  assert.throws(() => new Rng(2 ** 32));
});

test.run();
