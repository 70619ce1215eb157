/**
 * Losses, averaged over the batch (and, for MSE, over every output element).
 * Both cross-entropy forms compute mean(logsumexp(z) − Σ y·z); they differ only in how the
 * targets arrive (one-hot rows vs class indices), as in TF's two ops.
 */
import * as tf from "@tensorflow/tfjs-core";

export type LossName = "softmaxCrossEntropy" | "sparseSoftmaxCrossEntropy" | "mse";

/**
 * The batch loss. `targets` is one-hot [batch, classes] for both cross-entropies (the core
 * expands class indices once per batch) and [batch, outputs] for MSE.
 *
 * @example
 * const l = loss("mse", out, y); // mean((y − out)²)
 */
export function loss(name: LossName, output: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    if (name === "mse") return tf.mean(tf.squaredDifference(targets, output));
    const lse = tf.logSumExp(output, 1);
    const picked = tf.sum(tf.mul(targets, output), 1);
    return tf.mean(tf.sub(lse, picked));
  });
}

/** Whether the loss is a classification loss (accuracy is reported). */
export function isClassification(name: LossName): boolean {
  return name !== "mse";
}
