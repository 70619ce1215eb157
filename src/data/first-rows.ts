/** Cutting a data set to its first rows (a quick profile's or a config's `trainRows`). */
import type { Dataset } from "../core/dataset.ts";

/**
 * The first `n` rows of a data set (all of them when n is undefined or ≥ rows).
 *
 * @example
 * const small = firstRows(train, 1024);
 */
export function firstRows(ds: Dataset, n: number | undefined): Dataset {
  if (n === undefined || n >= ds.rows) return ds;
  if (!Number.isInteger(n) || n < 1) throw new Error(`firstRows: n ${n}, expected a positive integer`);
  const y: Dataset["y"] = ds.y.kind === "classes"
    ? { ...ds.y, labels: ds.y.labels.slice(0, n) }
    : { ...ds.y, values: ds.y.values.slice(0, n * ds.y.outputs) };
  return { x: ds.x.slice(0, n * ds.features), rows: n, features: ds.features, y };
}
