/** E2 (seed 003): per-layer distributions of the weight gradients, early and late in training. */
import type { Figure } from "../figure.ts";
import { short } from "./_e1-runs.ts";
import { distributionRows, distributionSpec, type E2Result } from "./_e2-distributions.ts";

/**
 * Box plots (min–max whiskers) of every element of ∂L/∂W on the last batch of the first
 * and of the last epoch, per layer, for the sigmoid, tanh and ReLU nets of seed 003.
 *
 * @example
 * const figure = e2GradientDistributionsFigure(readFixture("lesson-glorot", "quick"));
 */
export function e2GradientDistributionsFigure(result: E2Result): Figure {
  const d = distributionRows(result, "gradients", ["after the first epoch", "after the last epoch"]);
  const spread = (model: string, layer: string) => {
    const v = d.rows.filter((r) => r.model === model && r.layer === layer && r.when === d.moments[d.moments.length - 1]).map((r) => Math.abs(r.value));
    return v.length ? Math.max(...v) : NaN;
  };
  const sigLayers = [...new Set(d.rows.filter((r) => r.model === "sigmoid3").map((r) => r.layer))];
  const sigRatio = spread("sigmoid3", sigLayers[sigLayers.length - 1] ?? "4") / spread("sigmoid3", "1");
  return {
    id: "e2-gradient-distributions",
    section: "E2",
    title: "E2 · Gradient distributions per layer (seed 003's violin plots, as box plots)",
    caption: `Every element of ∂L/∂W on the last mini-batch of an epoch; boxes span the quartiles, whiskers min to max; each model has its own y scale. ` +
      `In the stacked-sigmoid net the last layer's largest |gradient| is ${short(sigRatio)}× the first layer's: the first layers barely move. ` +
      `In the tanh net the gradients are uneven across layers and change with training.`,
    spec: distributionSpec(d, ["∂L/∂W per element", "(MSE per unit weight)"]),
  };
}
