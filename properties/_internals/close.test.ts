/** The comparison behind every property: finite tolerance, non-finite values only match themselves. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { describeMismatch, expectClose, findMismatch, fmt, isClose } from "./close.ts";

const exact = { rtol: 0, atol: 0 };
const loose = { rtol: 1, atol: Infinity };

test("finite values: |a − e| ≤ atol + rtol·|e|, both bounds inclusive", () => {
  assert.ok(isClose(1.5, 1, { rtol: 0.5, atol: 0 }));
  assert.not.ok(isClose(1.5000001, 1, { rtol: 0.5, atol: 0 }));
  assert.ok(isClose(0.1, 0, { rtol: 0, atol: 0.1 }));
  assert.ok(isClose(-0, 0, exact));
  assert.ok(isClose(1 + 2 ** -23, 1, { rtol: 2 ** -23, atol: 0 }));
});

test("NaN matches only NaN, even with an infinite tolerance", () => {
  assert.ok(isClose(NaN, NaN, exact));
  assert.not.ok(isClose(NaN, 0, loose));
  assert.not.ok(isClose(0, NaN, loose));
  assert.not.ok(isClose(NaN, Infinity, loose));
  assert.not.ok(isClose(Infinity, NaN, loose));
});

test("±Inf match only the same infinity, never a finite value or the other sign", () => {
  assert.ok(isClose(Infinity, Infinity, exact));
  assert.ok(isClose(-Infinity, -Infinity, exact));
  assert.not.ok(isClose(Infinity, -Infinity, loose));
  assert.not.ok(isClose(-Infinity, Infinity, loose));
  assert.not.ok(isClose(3.4e38, Infinity, loose));
  assert.not.ok(isClose(Infinity, 3.4e38, loose));
});

test("findMismatch reports the first bad element, a length mismatch, or null", () => {
  assert.is(findMismatch([1, 2, NaN, -Infinity], [1, 2, NaN, -Infinity], exact), null);
  assert.equal(findMismatch([1, 2, 3], [1, 2.5, 4], exact), { index: 1, actual: 2, expected: 2.5, allowed: 0 });
  assert.is(findMismatch([1, 2], [1, 2, 3], exact)!.index, -1);
  const m = findMismatch([0, Infinity], [0, NaN], loose)!;
  assert.is(m.index, 1);
  assert.ok(Number.isNaN(m.allowed));
});

test("a per-element tolerance is honoured", () => {
  const tol = (i: number) => ({ rtol: 0, atol: i === 0 ? 1 : 0 });
  assert.is(findMismatch([1.5, 2], [1, 2], tol), null);
  assert.is(findMismatch([1, 2.5], [1, 2], tol)!.index, 1);
});

test("expectClose throws a message that names the element and the allowance", () => {
  assert.not.throws(() => expectClose([0.25], [0.25], exact, "d"));
  assert.throws(() => expectClose([0.25, 0.3], [0.25, 0.25], { rtol: 0, atol: 0.01 }, "σ'"), (e: Error) =>
    e.message === "σ'[1]: got 0.3, expected 0.25 (|diff| 0.05 > allowed 0.01)");
  assert.is(describeMismatch("x", { index: 0, actual: NaN, expected: Infinity, allowed: NaN }), "x[0]: got NaN, expected Infinity");
});

test("fmt keeps float32 neighbours apart and marks −0", () => {
  assert.is(fmt(-0), "-0");
  assert.is.not(fmt(Math.fround(0.1)), fmt(Math.fround(0.1) + 2 ** -27));
  assert.is(fmt(1e-20), "1.00000000e-20");
});

test.run();
