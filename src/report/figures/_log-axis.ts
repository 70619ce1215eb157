/** A log-scale axis labelled at powers of ten as "10⁻³", for values spanning [min, max]. */

const SUPERSCRIPT: Record<string, string> = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };

/** "10⁻³" for 1e-3; "1" for 1e0 and "10" for 1e1. */
export function powerOfTen(exponent: number): string {
  if (exponent === 0) return "1";
  if (exponent === 1) return "10";
  return "10" + String(exponent).split("").map((c) => SUPERSCRIPT[c] ?? c).join("");
}

/**
 * Axis properties for a log scale: ticks at the powers of ten covering the values (every
 * k-th one when they span many decades, at most ~8 labels), labelled with superscripts.
 */
export function logAxis(values: readonly number[]): { values: number[]; labelExpr: string } {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return { values: [1], labelExpr: "'1'" };
  let lo = Math.floor(Math.log10(Math.min(...positive)));
  let hi = Math.ceil(Math.log10(Math.max(...positive)));
  if (hi === lo) (lo -= 1), (hi += 1);
  const step = Math.max(1, Math.ceil((hi - lo) / 7)); // at most ~8 labels
  lo = hi - step * Math.ceil((hi - lo) / step);
  const exponents: number[] = [];
  for (let e = hi; e >= lo; e -= step) exponents.unshift(e);
  const ticks = exponents.map((e) => Number(`1e${e}`));
  const expr = exponents.reduceRight(
    (rest, e, i) => `datum.value == ${ticks[i]} ? '${powerOfTen(e)}' : ${rest}`,
    "format(datum.value, '.0e')",
  );
  return { values: ticks, labelExpr: expr };
}

/** A log scale's domain: the covering powers of ten, so lines never touch the frame. */
export function logDomain(values: readonly number[]): [number, number] {
  const t = logAxis(values).values;
  return [t[0]!, t[t.length - 1]!];
}
