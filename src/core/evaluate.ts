/** Loss and accuracy of a model on a whole data set, in inference mode. */
import * as tf from "@tensorflow/tfjs-core";
import { batchCount, batchTensors, gatherBatch } from "./batches.ts";
import type { Dataset } from "./dataset.ts";
import { isClassification, loss, type LossName } from "./losses.ts";
import { forward, type Model } from "./model.ts";

/** Rows per forward pass when evaluating (memory only; the result does not depend on it beyond float32 summation order). */
export const EVAL_CHUNK = 1000;

/**
 * Mean loss over all rows (each chunk's mean weighted by its rows) and, for classification,
 * the exact fraction of rows whose arg-max output is the label.
 *
 * @example
 * const { loss, accuracy } = await evaluate(model, test, "softmaxCrossEntropy");
 */
export async function evaluate(model: Model, ds: Dataset, lossName: LossName): Promise<{ loss: number; accuracy?: number }> {
  let lossSum = 0;
  let correct = 0;
  const chunks = batchCount(ds.rows, EVAL_CHUNK);
  for (let c = 0; c < chunks; c++) {
    const start = c * EVAL_CHUNK;
    const rows = Math.min(EVAL_CHUNK, ds.rows - start);
    const b = batchTensors(gatherBatch(ds, null, start, rows), ds.features);
    const stats = tf.tidy(() => {
      const { output } = forward(model, b.x, "infer");
      const l = tf.mul(loss(lossName, output, b.targets), rows);
      const hits = b.labels ? tf.sum(tf.cast(tf.equal(tf.argMax(output, 1), b.labels), "float32")) : tf.scalar(0);
      return tf.stack([l, hits]);
    });
    const [l, hits] = await stats.data();
    tf.dispose([stats, b.x, b.targets, ...(b.labels ? [b.labels] : [])]);
    lossSum += l;
    correct += hits;
  }
  const out: { loss: number; accuracy?: number } = { loss: lossSum / ds.rows };
  if (isClassification(lossName)) out.accuracy = correct / ds.rows;
  return out;
}
