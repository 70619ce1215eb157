/** E3 (source 002): each gradient tensor's L2 norm before and after clipping by global norm. */
import type { TopLevelSpec } from "vega-lite";
import type { StepRecord } from "../../core/mod.ts";
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
  const rows = tensorNormRows(steps, names);
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
    spec: tensorNormsSpec(rows, names),
  };
}

/** One point of a per-tensor norm plot. */
export interface TensorNormRow {
  iteration: number;
  tensor: string;
  when: "before clipping" | "after clipping";
  norm: number;
}

/**
 * The rows of a per-tensor norm plot: ‖gᵢ‖ before clipping at each recorded step, and after
 * it where recorded; `names` label the tensors (in parameter order).
 *
 * @example
 * const rows = tensorNormRows(result.steps, ["w1", "b1", "w2", "b2"]);
 */
export function tensorNormRows(steps: readonly StepRecord[], names: readonly string[]): TensorNormRow[] {
  return steps.flatMap((s) =>
    names.flatMap((tensor, i): TensorNormRow[] => [
      { iteration: s.iteration, tensor, when: "before clipping", norm: s.l2[i]! },
      ...(s.clippedL2 === undefined ? [] : [{ iteration: s.iteration, tensor, when: "after clipping" as const, norm: s.clippedL2[i]! }]),
    ])
  );
}

/**
 * One panel per tensor, ‖gᵢ‖ before and after clipping on a shared log axis: E3's figure and
 * `gradlab plot`'s.
 *
 * @example
 * const spec = tensorNormsSpec(tensorNormRows(steps, names), names);
 */
export function tensorNormsSpec(rows: TensorNormRow[], names: readonly string[]): TopLevelSpec {
  const shown = rows.filter((r) => r.norm > 0 && Number.isFinite(r.norm));
  const norms = shown.map((r) => r.norm);
  const when = ["before clipping", "after clipping"];
  return {
    data: { values: shown },
    facet: { field: "tensor", type: "nominal", title: null, sort: [...names] },
    columns: 3,
    spec: {
      width: 240,
      height: 140,
      mark: { type: "line", strokeWidth: 1.5 },
      encoding: {
        x: { field: "iteration", type: "quantitative", title: "iteration", axis: { format: "d", tickMinStep: 1 } },
        y: { field: "norm", type: "quantitative", title: "‖gᵢ‖₂ (log)", scale: { type: "log", domain: logDomain(norms) }, axis: logAxis(norms) },
        color: { field: "when", type: "nominal", title: null, sort: when, scale: { domain: when, range: ["#e15759", "#4e79a7"] } },
        strokeDash: { field: "when", type: "nominal", sort: when, scale: { domain: when, range: [[1, 0], [5, 3]] } },
      },
    },
    resolve: { scale: { y: "shared" } },
  };
}
