/** E1's five gradient plots (source 000): per-layer mean |∂L/∂W| over iterations, sigmoid and ReLU overlaid. */
import type { TopLevelSpec } from "vega-lite";
import type { StepRecord } from "../../core/mod.ts";
import type { Figure } from "../figure.ts";
import { colorScale } from "../theme.ts";
import { type E1Result, kernelsOf } from "./_e1-runs.ts";
import { logAxis, logDomain } from "./_log-axis.ts";

/**
 * One panel per layer (kernels only), log scale shared across panels, so that a small
 * gradient in layer 1 is visibly small next to layer 5.
 *
 * @example
 * const figure = e1GradientsFigure(result);
 */
export function e1GradientsFigure(result: E1Result): Figure {
  const rows = layerGradientRows(result.series.runs.map((run) => ({ name: run.name, ...run.result })));
  const names = result.series.runs.map((r) => r.name);
  const layers = result.series.runs[0] ? kernelsOf(result.series.runs[0]).map((k) => k.label) : [];
  const every = stepEvery(result);
  return {
    id: "e1-gradients",
    section: "E1",
    title: "E1 · Mean |gradient| per layer over training",
    caption: `Mean |∂L/∂W| of each weight matrix${every ? `, recorded every ${every} iterations` : ""} on that iteration's batch, before the update. ` +
      `The y axis is logarithmic and shared: read across the panels from layer 1 to layer ${layers.length}, and compare the two colours within a panel.`,
    spec: layerGradientsSpec(rows, layers, names, 256, "nats"),
  };
}

/** The recording interval, from the iterations of the first run's steps. */
function stepEvery(result: E1Result): number | undefined {
  const steps = result.series.runs[0]?.result.steps ?? [];
  return steps.length >= 2 ? steps[1]!.iteration - steps[0]!.iteration : undefined;
}

/** One point of a per-layer gradient plot. */
export interface LayerGradientRow {
  iteration: number;
  /** the panel: "layer 1 (784→30)" */
  layer: string;
  /** the series: an activation, a run */
  activation: string;
  meanAbs: number;
}

/**
 * The rows of a per-layer gradient plot: each run's mean |∂L/∂W| per kernel at each recorded
 * step; zeros and non-finite values are left out (a log scale cannot show them).
 *
 * @example
 * const rows = layerGradientRows([{ name: "relu", ...result }]);
 */
export function layerGradientRows(
  runs: readonly { name: string; parameterNames: string[]; parameterShapes: number[][]; steps: readonly StepRecord[] }[],
): LayerGradientRow[] {
  return runs.flatMap((run) => {
    const kernels = kernelsOf({ result: run });
    return run.steps.flatMap((step) =>
      kernels.map((k) => ({ iteration: step.iteration, layer: k.label, activation: run.name, meanAbs: step.meanAbs[k.index]! }))
    );
  }).filter((r) => r.meanAbs > 0 && Number.isFinite(r.meanAbs));
}

/**
 * One panel per layer (`layers`, in order), one colour per series (`names`), a log y axis
 * shared across panels: E1's figure and `gradlab plot`'s. `lossUnit` names the loss's unit
 * ("nats" for cross-entropy).
 *
 * @example
 * const spec = layerGradientsSpec(rows, ["layer 1 (784→30)", …], ["sigmoid", "relu"], 256, "nats");
 */
export function layerGradientsSpec(rows: LayerGradientRow[], layers: readonly string[], names: readonly string[], batchSize: number, lossUnit: string): TopLevelSpec {
  return {
    data: { values: rows },
    facet: { field: "layer", type: "ordinal", title: null, sort: [...layers] },
    columns: Math.min(layers.length, 5),
    spec: {
      width: 172,
      height: 170,
      mark: { type: "line", strokeWidth: 1.5 },
      encoding: {
        x: { field: "iteration", type: "quantitative", title: `iteration (batches of ${batchSize})`, axis: { tickCount: 3, format: ",d" } },
        y: {
          field: "meanAbs",
          type: "quantitative",
          title: ["mean |∂L/∂W|", `(${lossUnit} per unit weight, log)`],
          scale: { type: "log", domain: logDomain(rows.map((r) => r.meanAbs)) },
          axis: logAxis(rows.map((r) => r.meanAbs)),
        },
        color: { field: "activation", type: "nominal", title: "activation", scale: colorScale(names) },
      },
    },
    resolve: { scale: { y: "shared" } },
  };
}
