/**
 * Assertions inside properties: a violated law throws an Error whose message says what was
 * expected, so fast-check prints it next to the shrunk counterexample.
 */

/**
 * Throws `message()` unless `condition` holds.
 *
 * @example
 * expect(d <= 0.25, () => `σ'(${x}) = ${d} > 0.25`);
 */
export function expect(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new Error(message());
}
