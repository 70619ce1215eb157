/**
 * The top of the fast engine's backward pass, on the host in float64: the loss, the correct
 * count and Cᵀ_L, the loss gradient with respect to the logits, transposed:
 * (softmax(Z_L) − Y)ᵀ/m for cross-entropy, 2(Z_L − Y)ᵀ/(m·k) for MSE.
 */
import type { HostBatch } from "../batches.ts";

/**
 * Reads the logits `z` ([m, k] rows `zStride` apart) and writes Cᵀ_L into `cT` ([k, m] rows
 * `cTStride` apart).
 *
 * @example
 * const { loss, hits } = logitGradient(logits, batch, true, cT);
 */
export function logitGradient(
  z: Float32Array,
  hb: HostBatch,
  classification: boolean,
  cT: Float32Array,
  zStride = hb.targetWidth,
  cTStride = hb.rows,
): { loss: number; hits: number } {
  const m = hb.rows;
  const k = hb.targetWidth;
  let loss = 0;
  let hits = 0;
  for (let i = 0; i < m; i++) {
    const row = i * zStride;
    if (classification) {
      let max = -Infinity;
      let arg = 0;
      for (let c = 0; c < k; c++) {
        if (z[row + c] > max) {
          max = z[row + c];
          arg = c;
        }
      }
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(z[row + c] - max);
      const lse = max + Math.log(sum);
      const label = hb.labels![i];
      loss += lse - z[row + label];
      if (arg === label) hits++;
      for (let c = 0; c < k; c++) cT[c * cTStride + i] = (Math.exp(z[row + c] - lse) - (c === label ? 1 : 0)) / m;
    } else {
      for (let c = 0; c < k; c++) {
        const d = z[row + c] - hb.targets[i * k + c];
        loss += d * d;
        cT[c * cTStride + i] = (2 * d) / (m * k);
      }
    }
  }
  return { loss: classification ? loss / m : loss / (m * k), hits };
}

/**
 * Row sums of Cᵀ ([n, m] rows `stride` apart), accumulated in float64: a layer's bias gradient.
 *
 * @example
 * biasGradient(cT, n, m, m, out);
 */
export function biasGradient(cT: Float32Array, n: number, m: number, stride: number, out: Float32Array): Float32Array {
  for (let r = 0; r < n; r++) {
    let sum = 0;
    for (let c = 0; c < m; c++) sum += cT[r * stride + c];
    out[r] = sum;
  }
  return out;
}
