/** E6: per-layer variance of activations and of back-propagated gradients at initialization (Glorot & Bengio 2010, figs. 6–7). */
import { type InitVarianceResult, variancePairsRunOf } from "../../experiments/mod.ts";
import type { Figure } from "../figure.ts";
import { logAxis, logDomain } from "./_log-axis.ts";

export type E6Result = Pick<InitVarianceResult, "series" | "config" | "profile">;

const INIT_COLORS = ["#9c755f", "#4e79a7", "#76b7b2", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#edc948", "#ff9da7", "#bab0ac"];

/**
 * Two rows of panels, one panel per activation: Var(h_l) (forward) and Var(∂L/∂z_l)
 * (backward) per layer, one line per initializer, log scale.
 *
 * @example
 * const figure = e6VarianceFigure(readFixture("init-variance", "quick"));
 */
export function e6VarianceFigure(result: E6Result): Figure {
  const pairs = result.series.pairs;
  const run = variancePairsRunOf(result.config);
  const activations = [...new Set(pairs.map((p) => p.activation))];
  const inits = [...new Set(pairs.map((p) => p.init))];
  const forward = pairs.flatMap((p) => p.activationVariance.map((v, i) => ({ activation: p.activation, init: p.init, layer: i + 1, variance: v })));
  const backward = pairs.flatMap((p) => p.backwardVariance.map((v, i) => ({ activation: p.activation, init: p.init, layer: i + 1, variance: v })));
  const keep = pairs.filter((p) => p.keepsVariance).map((p) => `${p.activation} × ${p.init}`);
  const panel = (rows: typeof forward, title: string[]) => {
    const shown = rows.filter((r) => r.variance > 0 && Number.isFinite(r.variance));
    const values = shown.map((r) => r.variance);
    return {
      data: { values: shown },
      facet: { field: "activation", type: "nominal" as const, title: null, sort: activations },
      columns: activations.length,
      spec: {
        width: 150,
        height: 170,
        mark: { type: "line" as const, point: { size: 16 }, strokeWidth: 1.5 },
        encoding: {
          x: { field: "layer", type: "quantitative" as const, title: "layer", axis: { tickMinStep: 1, format: "d" }, scale: { domain: [1, run.depth] } },
          y: { field: "variance", type: "quantitative" as const, title, scale: { type: "log" as const, domain: logDomain(values) }, axis: logAxis(values) },
          color: { field: "init", type: "nominal" as const, title: "initializer", sort: inits, scale: { domain: inits, range: INIT_COLORS.slice(0, inits.length) }, legend: { columns: 2, orient: "top" as const, direction: "horizontal" as const, labelLimit: 440, columnPadding: 24 } },
        },
      },
    };
  };
  return {
    id: "e6-variance",
    section: "E6",
    title: `E6 · Variance per layer at initialization: ${run.depth} layers × ${run.width} units`,
    caption: `Top: variance of each layer's activations hₗ (forward). Bottom: variance of the back-propagated gradient ∂L/∂zₗ (backward; layer ${run.depth} receives it first). ` +
      `A flat line keeps the Glorot condition; a slope multiplies per layer. ` +
      `${keep.length} of ${pairs.length} pairs stay inside the band [${run.band.low}, ${run.band.high}] per layer in both directions (the table below lists them).`,
    spec: {
      vconcat: [
        panel(forward, ["Var(hₗ), forward", "(squared activation units, log)"]),
        panel(backward, ["Var(∂L/∂zₗ), backward", "(squared loss units, log)"]),
      ],
      resolve: { scale: { color: "shared" } },
    },
  };
}
