/**
 * The fast engine's batch layout: a data set's file-order batches stored transposed as well
 * ([features, batch rows], batch after batch), made once per run (or once for all the runs of
 * a parallel training), so that the first layer's gradient ∂W₁ = Xᵀ·C₁ reads Xᵀ as it is.
 */
import { gatherBatch, type HostBatch } from "../batches.ts";
import type { Dataset } from "../dataset.ts";

/** A data set's file-order batches of `batchSize` rows, each transposed. */
export interface BatchLayout {
  readonly batchSize: number;
  readonly values: Float32Array;
}

/** A batch as the fast engine reads it: with Xᵀ ([features, rows]) when it is one of the layout's. */
export interface LaidOutBatch extends HostBatch {
  xT: Float32Array | null;
}

/**
 * `ds`'s batches transposed, in shared memory (so that training workers can read one copy) or
 * where `allocate` puts them.
 *
 * @example
 * const layout = transposedBatches(data.train, 256);
 */
export function transposedBatches(ds: Dataset, batchSize: number, allocate?: (length: number) => Float32Array): BatchLayout {
  const f = ds.features;
  const values = allocate ? allocate(ds.x.length) : new Float32Array(new SharedArrayBuffer(ds.x.length * 4));
  for (let start = 0; start < ds.rows; start += batchSize) {
    const m = Math.min(batchSize, ds.rows - start);
    const base = start * f;
    for (let i = 0; i < m; i++) {
      const row = base + i * f;
      for (let j = 0; j < f; j++) values[base + j * m + i] = ds.x[row + j];
    }
  }
  return { batchSize, values };
}

/**
 * Rows `order[start..start+count)` of `ds` (`gatherBatch`), with Xᵀ from `layout` where the
 * batch is one of its file-order batches.
 *
 * @example
 * const b = laidOutBatch(train, layout, null, 0, 256); // b.xT: the first batch, transposed
 */
export function laidOutBatch(ds: Dataset, layout: BatchLayout | null, order: Int32Array | null, start: number, count: number): LaidOutBatch {
  const f = ds.features;
  const xT = !order && layout && start % layout.batchSize === 0 && count === Math.min(layout.batchSize, ds.rows - start)
    ? layout.values.subarray(start * f, (start + count) * f)
    : null;
  return { ...gatherBatch(ds, order, start, count), xT };
}

/**
 * Xᵀ of a batch the fast engine was handed, or null (a batch gathered elsewhere has none).
 *
 * @example
 * const xT = transposedOf(hb);
 */
export function transposedOf(hb: HostBatch): Float32Array | null {
  return (hb as Partial<LaidOutBatch>).xT ?? null;
}
