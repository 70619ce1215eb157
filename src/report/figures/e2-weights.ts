/** E2 (source 003): per-layer distributions of the weights at initialization and after training. */
import type { Figure } from "../figure.ts";
import { short } from "./_e1-runs.ts";
import { distributionRows, distributionSpec, type E2Result } from "./_e2-distributions.ts";

/**
 * Box plots (min–max whiskers) of every kernel element at initialization (PyTorch's
 * default U(−1/√fan_in, 1/√fan_in)) and after the last epoch, per layer.
 *
 * @example
 * const figure = e2WeightsFigure(result);
 */
export function e2WeightsFigure(result: E2Result): Figure {
  const d = distributionRows(result, "weights", ["at initialization", "after the last epoch"]);
  const moved = movement(result, "sigmoid3");
  const caption = "Every kernel element at initialization and after the last epoch." +
    (moved.length >= 2
      ? ` In the sigmoid net the weights moved by ${moved.map((m, i) => `${short(m)} (layer ${i + 1})`).join(", ")} on average (mean |w_last − w_init|): ` +
        (moved[0]! < moved.at(-1)! ? "where the gradients are small, the weights hardly changed." : "here the first layer moved no less than the last.")
      : "");
  return {
    id: "e2-weights",
    section: "E2",
    title: "E2 · Weights per layer, before and after training",
    caption,
    spec: distributionSpec(d, ["weight value", "(dimensionless)"]),
  };
}

/** Per kernel, mean |w_last − w_init| over its elements (the snapshots are element-aligned). */
function movement(result: E2Result, model: string): number[] {
  const run = result.series.runs.find((r) => r.name === model)?.result;
  const snaps = run?.snapshots.filter((s) => s.weights.length > 0) ?? [];
  if (!run || snaps.length < 2) return [];
  const first = snaps[0]!, last = snaps.at(-1)!;
  return run.parameterNames.flatMap((n, i) => {
    if (!n.endsWith("/kernel")) return [];
    const a = first.weights[i]!, b = last.weights[i]!;
    return [a.reduce((s, x, k) => s + Math.abs(b[k]! - x), 0) / a.length];
  });
}
