/**
 * The intervals against what defines them, computed here in float64 without @stdlib: the
 * Clopper–Pearson bounds solve the binomial tail equations, Wilson's solve the score
 * equation, and Clopper–Pearson's coverage is at least its level at every proportion.
 */
import * as fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { clopperPearson, proportionInterval, wilson } from "./binomial-interval.ts";

/** log C(n, i) by summing logs (exact enough for n ≤ 300: ~1e-13 relative). */
function logChoose(n: number, i: number): number {
  let s = 0;
  for (let j = 1; j <= i; j++) s += Math.log(n - i + j) - Math.log(j);
  return s;
}

/** P(X = i) for X ~ Binomial(n, p). */
function pmf(n: number, i: number, p: number): number {
  if (p === 0) return i === 0 ? 1 : 0;
  if (p === 1) return i === n ? 1 : 0;
  return Math.exp(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p));
}

/** P(lo ≤ X ≤ hi). */
function tail(n: number, lo: number, hi: number, p: number): number {
  let s = 0;
  for (let i = lo; i <= hi; i++) s += pmf(n, i, p);
  return s;
}

const counts = fc.integer({ min: 1, max: 120 }).chain((n) => fc.record({ n: fc.constant(n), k: fc.integer({ min: 0, max: n }) }));

test("Clopper–Pearson: P(X ≥ k | lower) = α/2 and P(X ≤ k | upper) = α/2; the closed forms at k = 0 and k = n", () => {
  fc.assert(fc.property(counts, fc.constantFrom(0.9, 0.95, 0.99), ({ n, k }, level) => {
    const { lower, upper } = clopperPearson(k, n, level);
    const half = (1 - level) / 2;
    assert.ok(lower <= k / n && k / n <= upper, `${k}/${n} inside [${lower}, ${upper}]`);
    if (k === 0) assert.is(lower, 0);
    else assert.ok(Math.abs(tail(n, k, n, lower) - half) < 1e-9, `P(X ≥ ${k} | ${lower}) = ${tail(n, k, n, lower)}`);
    if (k === n) assert.is(upper, 1);
    else assert.ok(Math.abs(tail(n, 0, k, upper) - half) < 1e-9, `P(X ≤ ${k} | ${upper}) = ${tail(n, 0, k, upper)}`);
    if (k === n) assert.ok(Math.abs(lower - half ** (1 / n)) < 1e-12, "lower at k = n is (α/2)^(1/n)");
    if (k === 0) assert.ok(Math.abs(upper - (1 - half ** (1 / n))) < 1e-12, "upper at k = 0 is 1 − (α/2)^(1/n)");
  }));
});

test("Clopper–Pearson covers every proportion at least at its level (n = 5, 8, 20, 64)", () => {
  for (const n of [5, 8, 20, 64]) {
    const intervals = Array.from({ length: n + 1 }, (_, k) => clopperPearson(k, n));
    for (let j = 1; j < 400; j++) {
      const p = j / 400;
      let covered = 0;
      for (let k = 0; k <= n; k++) if (intervals[k]!.lower <= p && p <= intervals[k]!.upper) covered += pmf(n, k, p);
      assert.ok(covered >= 0.95 - 1e-12, `n ${n}, p ${p}: coverage ${covered}`);
    }
  }
});

test("Clopper–Pearson is symmetric: the interval of n − k is the mirror of k's", () => {
  fc.assert(fc.property(counts, ({ n, k }) => {
    const a = clopperPearson(k, n), b = clopperPearson(n - k, n);
    assert.ok(Math.abs(a.lower - (1 - b.upper)) < 1e-12 && Math.abs(a.upper - (1 - b.lower)) < 1e-12);
  }));
});

test("Wilson: each bound solves the score equation (p̂ − p)² = z²·p(1 − p)/n, z = 1.959963984540054 at 95%", () => {
  const z = 1.959963984540054; // the normal distribution's 0.975 quantile (tables: 1.95996 39845 40054)
  fc.assert(fc.property(counts, ({ n, k }) => {
    const { lower, upper } = wilson(k, n);
    const score = (p: number) => (k / n - p) ** 2 - (z * z * p * (1 - p)) / n;
    if (k > 0) assert.ok(Math.abs(score(lower)) < 1e-12, `lower ${lower}: ${score(lower)}`);
    if (k < n) assert.ok(Math.abs(score(upper)) < 1e-12, `upper ${upper}: ${score(upper)}`);
    assert.ok(lower <= k / n && k / n <= upper);
  }));
});

test("bad counts and levels are refused, naming what was expected", () => {
  assert.throws(() => clopperPearson(3, 2), /successes: expected an integer in \[0, 2\], got 3/);
  assert.throws(() => wilson(0, 0), /trials: expected an integer ≥ 1, got 0/);
  assert.throws(() => proportionInterval(1, 2, "wilson", 1), /level: expected a number in \(0, 1\), got 1/);
});

test.run();
