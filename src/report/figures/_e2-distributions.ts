/** Per-layer distributions of E2's weights or gradients at two epochs, as box plots per model. */
import type { LessonGlorotResult } from "../../experiments/mod.ts";
import type { Figure } from "../figure.ts";

export type E2Result = Pick<LessonGlorotResult, "series" | "profile">;

/** The models the seed draws violins for, in its order. */
export const E2_MODELS = ["sigmoid3", "tanh4", "relu3"] as const;

export interface DistributionRows {
  rows: { model: string; layer: string; when: string; value: number }[];
  /** the two moments compared, e.g. ["first epoch", "last epoch"] */
  moments: [string, string];
  /** epochs each model trained, for the panel headers */
  epochs: Record<string, number>;
}

/**
 * Every kernel element of the first and the last snapshot that has the wanted values,
 * labelled with `moments` ([first, last]).
 */
export function distributionRows(result: E2Result, what: "weights" | "gradients", moments: [string, string]): DistributionRows {
  const rows: DistributionRows["rows"] = [];
  const epochs: Record<string, number> = {};
  for (const model of E2_MODELS) {
    const run = result.series.runs.find((r) => r.name === model)?.result;
    if (!run) continue;
    const kernels = run.parameterNames.map((n, i) => ({ n, i })).filter((p) => p.n.endsWith("/kernel"));
    const snaps = run.snapshots.filter((s) => s[what] !== undefined && s[what]!.length > 0);
    if (snaps.length === 0) continue;
    epochs[model] = run.epochs.length;
    const chosen = snaps.length === 1 ? [snaps[0]!] : [snaps[0]!, snaps[snaps.length - 1]!];
    for (const [n, snap] of chosen.entries()) {
      const when = moments[n]!;
      kernels.forEach((k, layer) => {
        for (const value of snap[what]![k.i] ?? []) rows.push({ model, layer: `${layer + 1}`, when, value });
      });
    }
  }
  return { rows, moments, epochs };
}

/**
 * Box plots of `rows`: one panel per model (own scales), x = layer, two boxes per layer
 * (quartile box, median tick, min–max whisker), from Vega-Lite aggregates.
 */
export function distributionSpec(d: DistributionRows, yTitle: string[]): Figure["spec"] {
  const x = { field: "layer", type: "ordinal", title: "layer (1 = next to the input)", axis: { labelAngle: 0 } } as const;
  const xOffset = { field: "when", type: "nominal", sort: d.moments, scale: { paddingInner: 0.15 } } as const;
  const color = {
    field: "when",
    type: "nominal",
    title: null,
    sort: d.moments,
    scale: { domain: d.moments, range: ["#9ecae9", "#1f5f99"] },
    legend: { labelLimit: 400 },
  } as const;
  return {
    data: { values: d.rows },
    facet: { field: "model", type: "nominal", title: null, sort: [...E2_MODELS], header: { labelExpr: headerExpr(d.epochs) } },
    spec: {
      width: 250,
      height: 230,
      transform: [{
        aggregate: [
          { op: "min", field: "value", as: "min" },
          { op: "q1", field: "value", as: "q1" },
          { op: "median", field: "value", as: "median" },
          { op: "q3", field: "value", as: "q3" },
          { op: "max", field: "value", as: "max" },
          { op: "count", as: "n" },
        ],
        groupby: ["model", "layer", "when"],
      }],
      layer: [
        {
          mark: { type: "rule", color: "#555" },
          encoding: { x, xOffset, y: { field: "min", type: "quantitative", title: yTitle }, y2: { field: "max" } },
        },
        {
          mark: { type: "bar", size: 16, stroke: "#333", strokeWidth: 0.5 },
          encoding: {
            x,
            xOffset,
            y: { field: "q1", type: "quantitative" },
            y2: { field: "q3" },
            color,
            tooltip: [{ field: "layer" }, { field: "when" }, { field: "n", title: "elements" }, { field: "min", format: ".3g" }, { field: "median", format: ".3g" }, { field: "max", format: ".3g" }],
          },
        },
        {
          mark: { type: "tick", color: "black", thickness: 1.5, size: 16 },
          encoding: { x, xOffset, y: { field: "median", type: "quantitative" } },
        },
      ],
    },
    resolve: { scale: { x: "independent", xOffset: "independent", y: "independent" } },
  };
}

/** "model sigmoid3 · 25 epochs" as a Vega expression over the facet value. */
function headerExpr(epochs: Record<string, number>): string {
  return Object.entries(epochs).reduceRight(
    (rest, [model, n]) => `datum.value == '${model}' ? '${model} · ${n} epoch${n === 1 ? "" : "s"}' : ${rest}`,
    "datum.value",
  );
}
