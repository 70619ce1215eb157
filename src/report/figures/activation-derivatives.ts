/** The derivatives of the logistic sigmoid and tanh, with their bounds 0.25 and 1 (source 003). */
import type { LessonGlorotResult } from "../../experiments/mod.ts";
import type { Figure } from "../figure.ts";
import { colorScale } from "../theme.ts";

/** The autodiff measurements E2 records (max and argmax of each derivative), when present. */
export type MeasuredDerivatives = LessonGlorotResult["series"]["derivatives"];

/**
 * σ'(x) = σ(x)(1 − σ(x)) and tanh'(x) = 1 − tanh²(x) on [−8, 8], with horizontal rules at
 * their maxima 0.25 and 1. With E2's autodiff measurements the caption quotes them, and σ′ at
 * the ends of the grid they were measured on (`grid`, the run's).
 *
 * @example
 * const figure = activationDerivativesFigure(e2Result?.series.derivatives, { min: -10, max: 10 });
 */
export function activationDerivativesFigure(measured?: MeasuredDerivatives, grid?: { min: number; max: number }): Figure {
  const xs = Array.from({ length: 321 }, (_, i) => -8 + i * 0.05);
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const rows = xs.flatMap((x) => [
    { x, f: "sigmoid", derivative: sigmoid(x) * (1 - sigmoid(x)) },
    { x, f: "tanh", derivative: 1 - Math.tanh(x) ** 2 },
  ]);
  const bounds = [
    { f: "sigmoid", y: 0.25, text: "σ′ ≤ 0.25 (at x = 0)" },
    { f: "tanh", y: 1, text: "tanh′ ≤ 1 (at x = 0)" },
  ];
  const sig = measured?.find((d) => d.activation === "sigmoid");
  const measuredText = sig
    ? ` E2 measured σ′ by tfjs autodiff on a grid: maximum ${sig.max} at x = ${sig.argmax}` +
      (grid ? `, σ′(${grid.min}) ≈ ${sig.atMin.toExponential(1)} and σ′(${grid.max}) ≈ ${sig.atMax.toExponential(1)}.` : ".")
    : "";
  return {
    id: "activation-derivatives",
    section: "derivatives",
    title: "The sigmoid's derivative is at most 0.25",
    caption: `Back-propagation multiplies by f′(z) once per layer. With σ′ ≤ 0.25 four sigmoid layers scale a gradient by at most 0.25⁴ ≈ 0.004, ` +
      `and far less where units saturate (both tails go to 0). tanh′ peaks at 1, so tanh alone does not force the shrinkage.` + measuredText,
    spec: {
      width: 560,
      height: 260,
      layer: [
        {
          data: { values: rows },
          mark: { type: "line", strokeWidth: 2 },
          encoding: {
            x: { field: "x", type: "quantitative", title: "pre-activation z (dimensionless)" },
            y: { field: "derivative", type: "quantitative", title: "derivative f′(z)", scale: { domain: [0, 1.05] } },
            color: { field: "f", type: "nominal", title: "activation f", scale: colorScale(["sigmoid", "tanh"]) },
          },
        },
        {
          data: { values: bounds },
          mark: { type: "rule", strokeDash: [3, 3], strokeWidth: 1 },
          encoding: { y: { field: "y", type: "quantitative" }, color: { field: "f", type: "nominal", legend: null } },
        },
        {
          data: { values: bounds },
          mark: { type: "text", align: "left", baseline: "bottom", x: 4, dy: -3, fontSize: 11 },
          encoding: { y: { field: "y", type: "quantitative" }, text: { field: "text" }, color: { field: "f", type: "nominal", legend: null } },
        },
      ],
    },
  };
}
