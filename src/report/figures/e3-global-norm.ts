/** E3 (seed 002): the global gradient norm at every step, before and after clipping, against the limit. */
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
  const rows = steps.flatMap((s) => [
    { iteration: s.iteration, when: "before clipping", norm: s.globalNorm },
    ...(s.clippedGlobalNorm === undefined ? [] : [{ iteration: s.iteration, when: "after clipping", norm: s.clippedGlobalNorm }]),
  ]);
  const clipped = steps.filter((s) => s.globalNorm > limit).length;
  const norms = [...rows.map((r) => r.norm), limit].filter((n) => n > 0);
  const maxBefore = Math.max(...steps.map((s) => s.globalNorm));
  return {
    id: "e3-global-norm",
    section: "E3",
    title: `E3 · Global gradient norm per step, clipped at ${limit}`,
    caption: `${clipped} of ${steps.length} steps had a global norm above ${limit} (largest ${short(maxBefore)}); ` +
      `on those steps the clipped norm sits exactly on the line at ${limit}, and on all others the two curves coincide. The y axis is logarithmic, so the early spikes and the later small norms both show.`,
    spec: {
      width: 620,
      height: 260,
      layer: [
        {
          data: { values: rows.filter((r) => r.norm > 0) },
          mark: { type: "line", strokeWidth: 1.5, interpolate: "linear" },
          encoding: {
            x: { field: "iteration", type: "quantitative", title: "iteration (batches of 256)", axis: { format: "d", tickMinStep: 1 } },
            y: {
              field: "norm",
              type: "quantitative",
              title: ["global norm G = √Σ‖gᵢ‖²", "(MSE per unit parameter, log)"],
              scale: { type: "log", domain: logDomain(norms) },
              axis: logAxis(norms),
            },
            color: {
              field: "when",
              type: "nominal",
              title: null,
              sort: ["before clipping", "after clipping"],
              scale: { domain: ["before clipping", "after clipping"], range: ["#e15759", "#4e79a7"] },
            },
            strokeDash: { field: "when", type: "nominal", sort: ["before clipping", "after clipping"], scale: { domain: ["before clipping", "after clipping"], range: [[1, 0], [5, 3]] } },
          },
        },
        {
          data: { values: [{ limit }] },
          mark: { type: "rule", color: "#333", strokeDash: [2, 2] },
          encoding: { y: { field: "limit", type: "quantitative" } },
        },
        {
          data: { values: [{ limit, text: `clip norm ${limit}` }] },
          mark: { type: "text", align: "right", baseline: "bottom", dy: -3, x: "width", fontSize: 11, color: "#333" },
          encoding: { y: { field: "limit", type: "quantitative" }, text: { field: "text" } },
        },
      ],
    },
  };
}
