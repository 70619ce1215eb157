/**
 * The replicas' products h·W ([1 | M, rows, in] × [M, in, out]) such that no replica's NaN or
 * ±Inf reaches another replica's numbers.
 *
 * Why: tfjs-backend-webgpu 4.22's tiled matMul kernels (MatMulPackedProgram and
 * MatMulSmallOutputSizeProgram, chosen by output shape) read the second operand without a bounds
 * check (`mm_readB`): where the inner size is not a multiple of the tile, a tile's last rows come
 * from the next batch element and are multiplied by the first operand's zero padding. 0 × a
 * finite value is 0, so a single model never notices; but 0 × NaN and 0 × ±Inf are NaN, so a
 * replica whose weights or back-propagated gradient went non-finite turned every number of the
 * replica before it into NaN (measured under Deno on llvmpipe: [2, 256, 30] × [2, 30, 10] with
 * NaN in element 1 made all 2,560 values of element 0 NaN; 1e30 there changed none; MatMulReduce,
 * bounds-checked, is clean). The first operand is read with bounds checks.
 *
 * So every second operand, forward (W) and backward (W for ∂h, ∂z for ∂W, by tfjs's own
 * BatchMatMul gradient formulas), enters the product with its non-finite values replaced by 0,
 * which leaves every finite replica's numbers bitwise as they were, and each replica whose
 * operand held one is marked. A replica is then non-finite at a step iff its loss, a gradient
 * element or a mark says so: a non-finite ∂z makes ∂W non-finite in every row of `train`'s own
 * product, and a non-finite W of layer l ≥ 2 makes ∂h of layer l − 1 non-finite, so a mark stops
 * the replica at the step where `train` stops; a non-finite weight of the first layer under a
 * saturating activation can leave `train`'s loss and gradients finite: the population stops such a
 * replica there (its error says so), where `train` would go on.
 */
import * as tf from "@tensorflow/tfjs-core";

/** [M] bool: whether replica k's slice of a [M, …] tensor holds a NaN or ±Inf; and the tensor with those values as 0. */
function finiteOperand(t: tf.Tensor): { cleaned: tf.Tensor; marked: tf.Tensor1D } {
  const ok = tf.isFinite(t);
  const axes = Array.from({ length: t.rank - 1 }, (_, i) => i + 1);
  return { cleaned: tf.where(ok, t, tf.zerosLike(t)), marked: tf.logicalNot(tf.all(ok, axes)) as tf.Tensor1D };
}

/**
 * h·W per replica. `marks`, when given, collects an [M] bool per product operand (forward now,
 * backward when the gradient runs): true for each replica whose operand held a non-finite value.
 * `hasGradient`: whether h depends on the parameters (every layer but the first), so ∂h is
 * computed; the first layer's input is a constant and gets none.
 *
 * @example
 * const marks: tf.Tensor[] = [];
 * const z = isolatedProduct(h, kernel, true, marks); // [M, rows, out]
 */
export function isolatedProduct(h: tf.Tensor, w: tf.Tensor, hasGradient: boolean, marks: tf.Tensor[] | null): tf.Tensor {
  const mark = (m: tf.Tensor1D) => {
    if (marks) marks.push(tf.keep(m));
    else m.dispose();
  };
  const clean = (t: tf.Tensor) => {
    const { cleaned, marked } = finiteOperand(t);
    mark(marked);
    return cleaned;
  };
  if (hasGradient) {
    return tf.customGrad((a, b, save) => {
      const wc = clean(b as tf.Tensor);
      (save as tf.GradSaveFunc)([a as tf.Tensor, wc]);
      return {
        value: tf.matMul(a as tf.Tensor, wc),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.matMul(dy, saved[1]!, false, true), tf.matMul(saved[0]!, clean(dy), true, false)],
      };
    })(h, w);
  }
  return tf.customGrad((b, save) => {
    const wc = clean(b as tf.Tensor);
    (save as tf.GradSaveFunc)([wc]);
    return { value: tf.matMul(h, wc), gradFunc: (dy: tf.Tensor) => tf.matMul(h, clean(dy), true, false) };
  })(w);
}
