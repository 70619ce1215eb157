/** E1 at a glance: mean |∂L/∂W| per layer (1 → 5), sigmoid vs ReLU. */
import type { Figure } from "../figure.ts";
import { colorScale } from "../theme.ts";
import { type E1Result, kernelMeans, short } from "./_e1-runs.ts";
import { logAxis, logDomain } from "./_log-axis.ts";

/**
 * Per layer, mean |∂L/∂W| averaged over every recorded iteration, for each activation; a
 * log scale, so equal ratios look equal.
 *
 * @example
 * const figure = e1LayerSummaryFigure(result);
 */
export function e1LayerSummaryFigure(result: E1Result): Figure {
  const perRun = result.series.runs.map((run) => ({ name: run.name, means: kernelMeans(run) }));
  const rows = perRun.flatMap((r) => r.means.map((m, i) => ({ layer: i + 1, activation: r.name, meanAbs: m })))
    .filter((r) => r.meanAbs > 0 && Number.isFinite(r.meanAbs));
  const ratio = (name: string) => {
    const m = perRun.find((r) => r.name === name)?.means;
    return m && m.length >= 2 ? m[m.length - 1]! / m[0]! : NaN;
  };
  const sig = perRun.find((r) => r.name === "sigmoid")?.means, relu = perRun.find((r) => r.name === "relu")?.means;
  const below = sig && relu ? sig.map((s, i) => relu[i]! / s) : [];
  const caption = sig && relu
    ? `Sigmoid's last-layer gradient is ${short(ratio("sigmoid"))}× its first-layer gradient; ReLU's ${short(ratio("relu"))}×. ` +
      `Layer by layer, ReLU's gradients are ${short(Math.min(...below))}× to ${short(Math.max(...below))}× sigmoid's: the vanishing shows as the sigmoid line sitting below and falling toward layer 1.`
    : "Mean |∂L/∂W| per layer, averaged over the recorded iterations.";
  return {
    id: "e1-layer-summary",
    section: "E1",
    title: "E1 · Mean |gradient| by layer, averaged over training",
    caption,
    spec: {
      width: 420,
      height: 280,
      data: { values: rows },
      mark: { type: "line", point: { size: 60 } },
      encoding: {
        x: { field: "layer", type: "ordinal", title: "layer (1 = next to the input)", axis: { labelAngle: 0 } },
        y: { field: "meanAbs", type: "quantitative", title: ["mean |∂L/∂W| over iterations", "(nats per unit weight, log scale)"], scale: { type: "log", domain: logDomain(rows.map((r) => r.meanAbs)) }, axis: logAxis(rows.map((r) => r.meanAbs)) },
        color: { field: "activation", type: "nominal", title: "activation", scale: colorScale(perRun.map((r) => r.name)) },
        tooltip: [{ field: "activation" }, { field: "layer" }, { field: "meanAbs", format: ".3e" }],
      },
    },
  };
}
