/** E3 (seed 002): each gradient tensor's L2 norm before and after clipping by global norm. */
import type { Figure } from "../figure.ts";
import { short } from "./_e1-runs.ts";
import { logAxis, logDomain } from "./_log-axis.ts";
import { clipLimit, type E3Result, stepsOf, tensorLabel } from "./_e3-steps.ts";

/**
 * One panel per tensor (w1, b1, w2, b2, w3, b3): ‖g_i‖ before and after clipping, per step.
 *
 * @example
 * const figure = e3TensorNormsFigure(result);
 */
export function e3TensorNormsFigure(result: E3Result): Figure {
  const limit = clipLimit(result);
  const run = result.series.runs[0]?.result;
  const names = (run?.parameterNames ?? []).map(tensorLabel);
  const steps = stepsOf(result);
  const rows = steps.flatMap((s) =>
    names.flatMap((tensor, i) => [
      { iteration: s.iteration, tensor, when: "before clipping", norm: s.l2[i]! },
      ...(s.clippedL2 === undefined ? [] : [{ iteration: s.iteration, tensor, when: "after clipping", norm: s.clippedL2[i]! }]),
    ])
  );
  const norms = rows.map((r) => r.norm).filter((n) => n > 0);
  const first = steps.find((s) => s.globalNorm > limit);
  const example = first && first.clippedL2
    ? ` At step ${first.iteration} (G = ${short(first.globalNorm)}) every tensor was scaled by the same ${short(limit / first.globalNorm)}: ` +
      names.map((n, i) => `${n} ${short(first.l2[i]!)}→${short(first.clippedL2![i]!)}`).join(", ") + "."
    : " No step exceeded the limit, so clipping changed nothing.";
  return {
    id: "e3-tensor-norms",
    section: "E3",
    title: "E3 · Gradient norm of each tensor, before and after clipping",
    caption: `Clipping by global norm multiplies all tensors by one factor ${limit}/G, so their proportions (and directions) are kept; the y axis is logarithmic and shared, so the panels compare.` + example,
    spec: {
      data: { values: rows.filter((r) => r.norm > 0) },
      facet: { field: "tensor", type: "nominal", title: null, sort: names },
      columns: 3,
      spec: {
        width: 240,
        height: 140,
        mark: { type: "line", strokeWidth: 1.5 },
        encoding: {
          x: { field: "iteration", type: "quantitative", title: "iteration", axis: { format: "d", tickMinStep: 1 } },
          y: { field: "norm", type: "quantitative", title: "‖gᵢ‖₂ (log)", scale: { type: "log", domain: logDomain(norms) }, axis: logAxis(norms) },
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
      resolve: { scale: { y: "shared" } },
    },
  };
}
