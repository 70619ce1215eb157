/** E2 (seed 003): per-layer distributions of the weights at initialization and after training. */
import type { Figure } from "../figure.ts";
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
  return {
    id: "e2-weights",
    section: "E2",
    title: "E2 · Weights per layer, before and after training",
    caption: "Every kernel element at initialization and after the last epoch. " +
      "Where gradients vanish (the first layers of the sigmoid net) the two boxes look alike: those weights hardly changed.",
    spec: distributionSpec(d, ["weight value", "(dimensionless)"]),
  };
}
