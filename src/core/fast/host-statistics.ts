/**
 * The fast engine's recorder, in float64 over float32 host memory: mean |g|, Σg² for the L2
 * norms (which clipping reads too), and the statistics of a step, the norms after clipping
 * measured on the gradients the update applies.
 */
import type { GradientStats } from "../engine.ts";
import { fault } from "../fault-points.ts";
import type { GradientView } from "../optimizers/host-update.ts";

/**
 * Σ g² in float64, in storage order (finite iff every element is finite: float32 squares
 * cannot overflow a double).
 *
 * @example
 * sumOfSquares(Float32Array.of(3, 4)); // 25
 */
export function sumOfSquares(data: Float32Array): number {
  let s = 0;
  for (let i = 0; i < data.length; i++) s += data[i] * data[i];
  return s;
}

/**
 * mean |g| in float64.
 *
 * @example
 * meanAbs(Float32Array.of(-1, 3)); // 2
 */
export function meanAbs(data: Float32Array): number {
  let s = 0;
  if (fault("fast/recorder-signed-mean")) for (let i = 0; i < data.length; i++) s += data[i];
  else for (let i = 0; i < data.length; i++) s += Math.abs(data[i]);
  return s / data.length;
}

/**
 * What the fast engine records for a step: mean |g| and ‖g‖ per gradient and the global norm,
 * and, when it clips, the same norms measured on `applied`, the gradients the update applies
 * (Σg² again only where clipping changed them; `sumOfSquaresOf` takes it where the data lives).
 *
 * @example
 * const stats = gradientStatistics(grads, grads.map((g) => sumOfSquares(g.data)), null, (g) => sumOfSquares(g.data));
 */
export function gradientStatistics(
  grads: GradientView[],
  sumsq: number[],
  applied: GradientView[] | null,
  sumOfSquaresOf: (g: GradientView) => number,
): GradientStats {
  const out: GradientStats = {
    meanAbs: grads.map((g) => meanAbs(g.data)),
    l2: sumsq.map(Math.sqrt),
    globalNorm: Math.sqrt(sumsq.reduce((a, b) => a + b, 0)),
  };
  if (applied) {
    const measured = fault("fast/recorder-clipped-from-raw") ? grads : applied;
    const clippedSumsq = measured.map((g, p) => (g.data === grads[p].data ? sumsq[p] : sumOfSquaresOf(g)));
    out.clippedL2 = clippedSumsq.map(Math.sqrt);
    out.clippedGlobalNorm = Math.sqrt(clippedSumsq.reduce((a, b) => a + b, 0));
  }
  return out;
}
