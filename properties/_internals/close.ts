/**
 * The one comparison every property uses. Finite values are close when
 * |actual − expected| ≤ atol + rtol·|expected|. Non-finite values match only themselves:
 * NaN matches NaN, +Inf matches +Inf, −Inf matches −Inf, and nothing else — unlike
 * tfjs's `expectArraysClose`, which lets NaN pass for Inf and +Inf for −Inf.
 */

export type { Closeness } from "../../src/backend/mod.ts";
import type { Closeness } from "../../src/backend/mod.ts";

/** One element that is not close enough. */
export interface Mismatch {
  index: number;
  actual: number;
  expected: number;
  /** atol + rtol·|expected| at that element (NaN when a non-finite value is involved) */
  allowed: number;
}

/**
 * Whether `actual` is close to `expected`.
 *
 * @example
 * isClose(1 + 1e-7, 1, { rtol: 2 ** -23, atol: 0 }); // true
 * isClose(NaN, Infinity, { rtol: 1, atol: Infinity }); // false
 */
export function isClose(actual: number, expected: number, tol: Closeness): boolean {
  if (Number.isNaN(actual) || Number.isNaN(expected)) return Number.isNaN(actual) && Number.isNaN(expected);
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= tol.atol + tol.rtol * Math.abs(expected);
}

/**
 * The first element where `actual` and `expected` differ by more than the tolerance (which
 * may vary by element), or a length mismatch (index −1), or null when all are close.
 *
 * @example
 * findMismatch([1, 2, NaN], [1, 2, NaN], { rtol: 0, atol: 0 }); // null
 */
export function findMismatch(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Closeness | ((index: number) => Closeness),
): Mismatch | null {
  if (actual.length !== expected.length) return { index: -1, actual: actual.length, expected: expected.length, allowed: 0 };
  for (let i = 0; i < actual.length; i++) {
    const t = typeof tol === "function" ? tol(i) : tol;
    if (!isClose(actual[i], expected[i], t)) {
      const finite = Number.isFinite(actual[i]) && Number.isFinite(expected[i]);
      return { index: i, actual: actual[i], expected: expected[i], allowed: finite ? t.atol + t.rtol * Math.abs(expected[i]) : NaN };
    }
  }
  return null;
}

/**
 * A one-line account of a mismatch, for error messages.
 *
 * @example
 * describeMismatch("σ'", { index: 1, actual: 0.3, expected: 0.25, allowed: 0.01 });
 * // "σ'[1]: got 0.3, expected 0.25 (|diff| 0.05 > allowed 0.01)"
 */
export function describeMismatch(what: string, m: Mismatch): string {
  if (m.index < 0) return `${what}: length ${m.actual}, expected ${m.expected}`;
  const diff = Math.abs(m.actual - m.expected);
  const size = Number.isFinite(diff) && Number.isFinite(m.allowed) ? ` (|diff| ${fmt(diff)} > allowed ${fmt(m.allowed)})` : "";
  return `${what}[${m.index}]: got ${fmt(m.actual)}, expected ${fmt(m.expected)}${size}`;
}

/**
 * Throws an Error naming the first element of `actual` that is not close to `expected`.
 *
 * @example
 * expectClose([0.25], [0.25], { rtol: 0, atol: 0 }, "σ'(0)");
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Closeness | ((index: number) => Closeness),
  what: string,
): void {
  const m = findMismatch(actual, expected, tol);
  if (m) throw new Error(describeMismatch(what, m));
}

/**
 * Numbers in messages: enough digits to tell float32 neighbours apart.
 *
 * @example
 * fmt(-0); // "-0"
 */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const a = Math.abs(v);
  return a >= 1e-4 && a < 1e7 ? String(Number(v.toPrecision(9))) : v.toExponential(8);
}
