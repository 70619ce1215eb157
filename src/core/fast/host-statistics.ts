/**
 * The fast engine's gradient statistics, in float64 over float32 host memory: what the
 * recorder writes (mean |g|, Σg² for the L2 norms) and what clipping reads (Σg²).
 */
import { fault } from "../fault-points.ts";

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
