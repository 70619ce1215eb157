/**
 * Cutting a data set into batches: rows in file order or in a seeded permutation, the last
 * batch short when the row count is not a multiple of the batch size (as tf.data.batch does).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Dataset } from "./dataset.ts";

/** Number of batches per epoch: ⌈rows / batchSize⌉. */
export function batchCount(rows: number, batchSize: number): number {
  return Math.ceil(rows / batchSize);
}

/** Host-side copy of one batch's rows. */
export interface HostBatch {
  x: Float32Array;
  rows: number;
  /** one-hot rows (classification) or regression targets */
  targets: Float32Array;
  /** class indices (classification only) */
  labels: Int32Array | null;
  targetWidth: number;
}

/** Width of the target rows the core feeds to the loss. */
export function targetWidth(ds: Dataset): number {
  return ds.y.kind === "classes" ? ds.y.classes : ds.y.outputs;
}

/**
 * Rows `order[start..start+count)` of `ds` as a batch. In file order (`order` null) `x` is a
 * view of the data set's own rows, not a copy: treat it as read-only.
 *
 * @example
 * const b = gatherBatch(train, null, 0, 256); // the first 256 rows in file order
 */
export function gatherBatch(ds: Dataset, order: Int32Array | null, start: number, count: number): HostBatch {
  const f = ds.features;
  const w = targetWidth(ds);
  const x = order ? new Float32Array(count * f) : ds.x.subarray(start * f, (start + count) * f);
  const targets = new Float32Array(count * w);
  const labels = ds.y.kind === "classes" ? new Int32Array(count) : null;
  for (let r = 0; r < count; r++) {
    const row = order ? order[start + r] : start + r;
    if (order) x.set(ds.x.subarray(row * f, row * f + f), r * f);
    if (ds.y.kind === "classes") {
      const l = ds.y.labels[row];
      labels![r] = l;
      targets[r * w + l] = 1;
    } else {
      targets.set(ds.y.values.subarray(row * w, row * w + w), r * w);
    }
  }
  return { x, rows: count, targets, labels, targetWidth: w };
}

/** Uploads a host batch to the active backend. */
export function batchTensors(b: HostBatch, features: number): { x: tf.Tensor2D; targets: tf.Tensor2D; labels: tf.Tensor1D | null } {
  return {
    x: tf.tensor2d(b.x, [b.rows, features]),
    targets: tf.tensor2d(b.targets, [b.rows, b.targetWidth]),
    labels: b.labels ? tf.tensor1d(b.labels, "int32") : null,
  };
}
