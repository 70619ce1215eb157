/**
 * The look of every figure: one Vega-Lite config, and fixed colours for the things that
 * recur across figures (an activation is the same colour everywhere).
 */
import type { Config } from "vega-lite";

/** The page's font stack; Vega estimates text widths from the size alone, so any font fits. */
export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/** Colours of activations and other recurring series (Tableau 10, readable on white). */
export const SERIES_COLORS: Record<string, string> = {
  sigmoid: "#e15759",
  relu: "#4e79a7",
  tanh: "#59a14f",
  "leaky relu": "#f28e2b",
  leakyRelu: "#f28e2b",
  elu: "#b07aa1",
  selu: "#76b7b2",
  linear: "#9c755f",
};

/** A colour scale for `names`: the fixed colour of each known name, Tableau 10 for the rest. */
export function colorScale(names: readonly string[]): { domain: string[]; range: string[] } {
  const fallback = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
  let next = 0;
  const range = names.map((n) => SERIES_COLORS[n] ?? SERIES_COLORS[n.replace(/\(.*\)$/, "").trim()] ?? fallback[next++ % fallback.length]!);
  return { domain: [...names], range };
}

/** The Vega-Lite config every figure uses. */
export const FIGURE_CONFIG: Config = {
  font: FONT,
  background: "white",
  padding: 8,
  view: { stroke: "#ddd" },
  title: { fontSize: 15, fontWeight: 600, anchor: "start", subtitleFontSize: 12, subtitleColor: "#555", offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, gridColor: "#eee", domainColor: "#888", tickColor: "#888" },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: "top", direction: "horizontal" },
  header: { labelFontSize: 12, titleFontSize: 12, labelFontWeight: 600 },
  line: { strokeWidth: 2 },
  point: { size: 36, filled: true },
};

/** The x encoding of a per-epoch figure: whole epochs, no padding beyond the first and last. */
export const EPOCH_X = { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1, format: "d" }, scale: { nice: false } } as const;
