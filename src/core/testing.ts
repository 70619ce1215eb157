/**
 * Helpers for the core's own tests: activate a backend once and compare numbers with a stated
 * tolerance. Not exported from mod.ts.
 */
import { useBackend } from "../backend/mod.ts";

/** The backend the unit tests run on (GRADLAB_BACKEND or the default order). */
export async function testBackend(): Promise<string> {
  return (await useBackend()).name;
}

/** Throws unless |a − e| ≤ atol + rtol·|e|; non-finite values only match themselves. */
export function assertClose(actual: number, expected: number, rtol: number, atol: number, what: string): void {
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) {
    if (Object.is(actual, expected) || (Number.isNaN(actual) && Number.isNaN(expected))) return;
    throw new Error(`${what}: got ${actual}, expected ${expected}`);
  }
  const err = Math.abs(actual - expected);
  if (err > atol + rtol * Math.abs(expected)) {
    throw new Error(`${what}: got ${actual}, expected ${expected} (|diff| ${err.toExponential(3)} > atol ${atol} + rtol ${rtol}·|expected|)`);
  }
}

/** Element-wise assertClose over two arrays of the same length. */
export function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < actual.length; i++) assertClose(actual[i], expected[i], rtol, atol, `${what}[${i}]`);
}
