/** Row selection and class counting on in-memory data sets. */
import type { Dataset, Targets } from "../../core/dataset.ts";

/** A new data set holding the rows `indices` of `ds`, in that order. */
export function selectRows(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const n = indices.length, f = ds.features;
  const x = new Float32Array(n * f);
  for (let i = 0; i < n; i++) x.set(ds.x.subarray(indices[i] * f, (indices[i] + 1) * f), i * f);
  let y: Targets;
  if (ds.y.kind === "classes") {
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) labels[i] = ds.y.labels[indices[i]];
    y = { kind: "classes", labels, classes: ds.y.classes };
  } else {
    const o = ds.y.outputs, values = new Float32Array(n * o);
    for (let i = 0; i < n; i++) values.set(ds.y.values.subarray(indices[i] * o, (indices[i] + 1) * o), i * o);
    y = { kind: "regression", values, outputs: o };
  }
  return { x, rows: n, features: f, y };
}

/** How many rows carry each class label. */
export function classCounts(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

/**
 * Indices of the first `perClass` rows of each class, in file order (a class-stratified,
 * deterministic subset). Throws when a class has fewer rows than asked for.
 */
export function firstRowsPerClass(labels: ArrayLike<number>, classes: number, perClass: number, where: string): Int32Array {
  const taken = new Array<number>(classes).fill(0);
  const out: number[] = [];
  for (let i = 0; i < labels.length && out.length < classes * perClass; i++) {
    if (taken[labels[i]] < perClass) { taken[labels[i]]++; out.push(i); }
  }
  const short = taken.findIndex((t) => t < perClass);
  if (short >= 0) throw new Error(`${where}: class ${short} has only ${taken[short]} rows, ${perClass} wanted`);
  return Int32Array.from(out);
}
