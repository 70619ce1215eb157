/**
 * The fast engine's clipping on host memory, as TF's clip_by_value / clip_by_norm /
 * clip_by_global_norm compute it: the gradients the optimizer is handed are the clipped
 * float32 values (TF's clipped tensors are float32 too), in arrays of their own wherever they
 * differ from the gradients. The recorder measures the norms after clipping on those very
 * arrays, so what it reports is what the update applied.
 */
import { fault } from "../fault-points.ts";
import type { ClippingSpec } from "../train-config.ts";
import type { GradientView } from "../optimizers/host-update.ts";

/** Clipping that scales: by each gradient's norm, or by their global norm. */
export type ScalingClip = Extract<ClippingSpec, { name: "norm" | "globalNorm" }>;

/**
 * The factor c/max(‖g‖, c) each gradient is scaled by, from its Σg² (by global norm: the same
 * c/max(G, c) for all, G = √ΣΣg²). It is exactly 1 where the norm is within c (c/c).
 *
 * @example
 * clipFactors({ name: "globalNorm", maxNorm: 15 }, [900, 1600]); // [0.3, 0.3]: G = 50
 */
export function clipFactors(spec: ScalingClip, sumsq: number[]): number[] {
  const c = spec.maxNorm;
  if (spec.name === "globalNorm") {
    const f = c / Math.max(Math.sqrt(sumsq.reduce((a, b) => a + b, 0)), c);
    return sumsq.map(() => f);
  }
  // ‖g‖ from Σg², or (a planted fault) Σg² itself
  const norm = fault("fast/clip-norm-squared") ? (s: number) => s : Math.sqrt;
  return sumsq.map((s) => c / Math.max(norm(s), c));
}

/**
 * The gradients the optimizer applies: `grads` clipped by `spec`. A gradient that clipping
 * leaves as it is comes back as itself; any other is written, in its own layout, into
 * `into(p)` (an array of its length).
 *
 * @example
 * const applied = clipGradients({ name: "value", min: -1, max: 1 }, grads, sumsq, (p) => new Float32Array(grads[p].data.length));
 */
export function clipGradients(spec: ClippingSpec, grads: GradientView[], sumsq: number[], into: (p: number) => Float32Array): GradientView[] {
  if (spec.name === "none") return grads;
  if (spec.name === "value") {
    const lo = fault("fast/clip-value-no-lower-bound") ? -Infinity : spec.min;
    const hi = spec.max;
    return grads.map((g, p) => {
      const out = into(p);
      const G = g.data;
      for (let i = 0; i < G.length; i++) out[i] = Math.min(Math.max(G[i], lo), hi); // TF's minimum(maximum(g, lo), hi); NaN stays NaN
      return { ...g, data: out };
    });
  }
  if (fault("fast/clip-factor-not-applied")) return grads;
  const factors = clipFactors(spec, sumsq);
  return grads.map((g, p) => {
    const f = factors[p];
    if (f === 1) return g;
    const out = into(p);
    const G = g.data;
    for (let i = 0; i < G.length; i++) out[i] = G[i] * f;
    return { ...g, data: out };
  });
}
