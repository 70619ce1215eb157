import * as fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fiveNumbers, quantileSorted } from "./quartiles.ts";

test("type-7 quartiles: R's quantile(c(1, 2, 3, 4)) is 1, 1.75, 2.5, 3.25, 4; quantile(1:10) has q1 3.25, q3 7.75", () => {
  assert.equal(fiveNumbers([4, 2, 1, 3]), { min: 1, q1: 1.75, median: 2.5, q3: 3.25, max: 4 });
  const ten = fiveNumbers([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  assert.is(ten.q1, 3.25);
  assert.is(ten.median, 5.5);
  assert.is(ten.q3, 7.75);
});

test("quantiles are order statistics at k/(n−1), monotone in p, within [min, max]; an odd sample's median is its middle value", () => {
  const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 });
  fc.assert(fc.property(sample, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (values, p, q) => {
    const s = [...values].sort((a, b) => a - b);
    const [lo, hi] = p <= q ? [p, q] : [q, p];
    assert.ok(quantileSorted(s, lo) <= quantileSorted(s, hi));
    assert.ok(quantileSorted(s, p) >= s[0]! && quantileSorted(s, p) <= s[s.length - 1]!);
    for (let k = 0; k < s.length; k++) if (s.length > 1) assert.is(quantileSorted(s, k / (s.length - 1)), s[k]);
    if (s.length % 2 === 1) assert.is(fiveNumbers(values).median, s[(s.length - 1) / 2]);
  }));
});

test("a margin of −∞ (a measurement that was not finite) takes the nearer order statistic; NaN is refused", () => {
  assert.equal(fiveNumbers([-Infinity, 1, 2, 3]), { min: -Infinity, q1: 1, median: 1.5, q3: 2.25, max: 3 });
  assert.is(fiveNumbers([-Infinity, -Infinity, 1]).median, -Infinity);
  assert.throws(() => fiveNumbers([1, NaN]), /holds NaN/);
  assert.throws(() => quantileSorted([], 0.5), /empty sample/);
});

test.run();
