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
  const caption = sig && relu ? layerCaption(ratio("sigmoid"), ratio("relu"), below) : "Mean |∂L/∂W| per layer, averaged over the recorded iterations.";
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

/** What the per-layer means show, in words that follow the numbers (not the source's expectation). */
function layerCaption(sigmoidLastOverFirst: number, reluLastOverFirst: number, reluOverSigmoid: number[]): string {
  const lo = Math.min(...reluOverSigmoid), hi = Math.max(...reluOverSigmoid);
  const parts = [`Sigmoid's last-layer gradient is ${short(sigmoidLastOverFirst)}× its first-layer gradient; ReLU's is ${short(reluLastOverFirst)}×.`];
  parts.push(
    lo > 1
      ? `At every layer ReLU's gradient is larger, by ${short(lo)}× to ${short(hi)}×: the sigmoid line sits below.`
      : `ReLU's gradient relative to sigmoid's ranges from ${short(lo)}× to ${short(hi)}× across the layers.`,
  );
  if (sigmoidLastOverFirst > 1) {
    parts.push(
      sigmoidLastOverFirst > reluLastOverFirst
        ? "Toward the input the sigmoid gradients shrink more than ReLU's: the vanishing, at a glance."
        : "Both shrink toward the input; here sigmoid's do not shrink more than ReLU's.",
    );
  }
  return parts.join(" ");
}
