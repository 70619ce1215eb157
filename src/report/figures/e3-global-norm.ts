/** E3 (source 002): the global gradient norm at every step, before and after clipping, against the limit. */
import type { TopLevelSpec } from "vega-lite";
import type { StepRecord } from "../../core/mod.ts";
import type { Figure } from "../figure.ts";
import { short } from "./_e1-runs.ts";
import { logAxis, logDomain } from "./_log-axis.ts";
import { clipLimit, type E3Result, stepsOf } from "./_e3-steps.ts";

/**
 * Global norm G = sqrt(Σ‖g_i‖²) per step, before and after `clip_by_global_norm`, with the
 * limit drawn as a rule.
 *
 * @example
 * const figure = e3GlobalNormFigure(readFixture("mnist-global-norm-clipping", "quick"));
 */
export function e3GlobalNormFigure(result: E3Result): Figure {
  const limit = clipLimit(result);
  const steps = stepsOf(result);
  const rows = globalNormRows(steps);
  const clipped = steps.filter((s) => s.globalNorm > limit).length;
  const maxBefore = Math.max(...steps.map((s) => s.globalNorm));
  return {
    id: "e3-global-norm",
    section: "E3",
    title: `E3 · Global gradient norm per step, clipped at ${limit}`,
    caption: `${clipped} of ${steps.length} steps had a global norm above ${limit} (largest ${short(maxBefore)}); ` +
      `on those steps the clipped norm sits exactly on the line at ${limit}, and on all others the two curves coincide. The y axis is logarithmic, so the early spikes and the later small norms both show.`,
    spec: globalNormSpec(rows, limit, 256, "MSE"),
  };
}

/** One point of a global-norm plot. */
export interface GlobalNormRow {
  iteration: number;
  when: "before clipping" | "after clipping";
  norm: number;
}

/**
 * The rows of a global-norm plot: G before clipping at each recorded step, and after it
 * where it was recorded (clipping on).
 *
 * @example
 * const rows = globalNormRows(result.steps);
 */
export function globalNormRows(steps: readonly StepRecord[]): GlobalNormRow[] {
  return steps.flatMap((s): GlobalNormRow[] => [
    { iteration: s.iteration, when: "before clipping", norm: s.globalNorm },
    ...(s.clippedGlobalNorm === undefined ? [] : [{ iteration: s.iteration, when: "after clipping" as const, norm: s.clippedGlobalNorm }]),
  ]);
}

/**
 * Global norm per step on a log axis, before (and after) clipping, with the clipping limit as
 * a dashed rule when there is one: E3's figure and `gradlab plot`'s. `lossUnit` names the
 * loss's unit ("MSE", "nats").
 *
 * @example
 * const spec = globalNormSpec(globalNormRows(steps), 15, 256, "MSE");
 */
export function globalNormSpec(rows: GlobalNormRow[], limit: number | null, batchSize: number, lossUnit: string): TopLevelSpec {
  const norms = [...rows.map((r) => r.norm), ...(limit === null ? [] : [limit])].filter((n) => n > 0 && Number.isFinite(n));
  const when = ["before clipping", "after clipping"].filter((w) => rows.some((r) => r.when === w));
  return {
    width: 620,
    height: 260,
    layer: [
      {
        data: { values: rows.filter((r) => r.norm > 0 && Number.isFinite(r.norm)) },
        mark: { type: "line", strokeWidth: 1.5, interpolate: "linear" },
        encoding: {
          x: { field: "iteration", type: "quantitative", title: `iteration (batches of ${batchSize})`, axis: { format: "d", tickMinStep: 1 } },
          y: {
            field: "norm",
            type: "quantitative",
            title: ["global norm G = √Σ‖gᵢ‖²", `(${lossUnit} per unit parameter, log)`],
            scale: { type: "log", domain: logDomain(norms) },
            axis: logAxis(norms),
          },
          color: { field: "when", type: "nominal", title: null, sort: when, scale: { domain: when, range: ["#e15759", "#4e79a7"].slice(0, when.length) } },
          strokeDash: { field: "when", type: "nominal", sort: when, scale: { domain: when, range: [[1, 0], [5, 3]].slice(0, when.length) } },
        },
      },
      ...(limit === null ? [] : [
        {
          data: { values: [{ limit }] },
          mark: { type: "rule" as const, color: "#333", strokeDash: [2, 2] },
          encoding: { y: { field: "limit", type: "quantitative" as const } },
        },
        {
          data: { values: [{ limit, text: `clip norm ${limit}` }] },
          mark: { type: "text" as const, align: "right" as const, baseline: "bottom" as const, dy: -3, x: "width" as const, fontSize: 11, color: "#333" },
          encoding: { y: { field: "limit", type: "quantitative" as const }, text: { field: "text" } },
        },
      ]),
    ],
  };
}
