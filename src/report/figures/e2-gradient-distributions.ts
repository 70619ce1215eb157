/** E2 (source 003): per-layer distributions of the weight gradients, early and late in training. */
import type { Figure } from "../figure.ts";
import { short } from "./_e1-runs.ts";
import { distributionRows, distributionSpec, type E2Result } from "./_e2-distributions.ts";

/**
 * Box plots (min–max whiskers) of every element of ∂L/∂W on the last batch of the first
 * and of the last epoch, per layer, for the sigmoid, tanh and ReLU nets of source 003.
 *
 * @example
 * const figure = e2GradientDistributionsFigure(readFixture("lesson-glorot", "quick"));
 */
export function e2GradientDistributionsFigure(result: E2Result): Figure {
  const d = distributionRows(result, "gradients", ["after the first epoch", "after the last epoch"]);
  /** the largest |gradient| of a model's layer at one of the two moments */
  const largest = (model: string, layer: string, when: string) => {
    const v = d.rows.filter((r) => r.model === model && r.layer === layer && r.when === when).map((r) => Math.abs(r.value));
    return v.length ? Math.max(...v) : NaN;
  };
  const layersOf = (model: string) => [...new Set(d.rows.filter((r) => r.model === model).map((r) => r.layer))];
  const [early, late] = d.moments;
  const parts = ["Every element of ∂L/∂W on the last mini-batch of an epoch; boxes span the quartiles, whiskers min to max; each model has its own y scale."];
  const sig = layersOf("sigmoid3");
  if (sig.length >= 2) {
    parts.push(`In the stacked-sigmoid net the last layer's largest |gradient| is ${short(largest("sigmoid3", sig.at(-1)!, late) / largest("sigmoid3", "1", late))}× the first layer's.`);
  }
  const tanh = layersOf("tanh4");
  if (tanh.length >= 2) {
    const spread = tanh.map((l) => largest("tanh4", l, late));
    const top = (when: string) => Math.max(...tanh.map((l) => largest("tanh4", l, when)));
    parts.push(
      `In the tanh net the largest |gradient| per layer spans ${short(Math.max(...spread) / Math.min(...spread))}× across layers, ` +
        `and the overall largest went from ${short(top(early))} after the first epoch to ${short(top(late))} after the last.`,
    );
  }
  return {
    id: "e2-gradient-distributions",
    section: "E2",
    title: "E2 · Gradient distributions per layer (source 003's violin plots, as box plots)",
    caption: parts.join(" "),
    spec: distributionSpec(d, ["∂L/∂W per element", "(MSE per unit weight)"]),
  };
}
