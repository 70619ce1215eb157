/**
 * Vega-Lite → SVG without a browser: compile with vega-lite, run the Vega dataflow headless
 * (renderer "none") and serialize with `View.toSVG()`. No canvas is needed: without one,
 * Vega estimates text widths from the font size, the same under Bun and Deno.
 */
import * as vega from "vega";
import * as vl from "vega-lite";
import type { TopLevelSpec } from "vega-lite";

/**
 * Renders a Vega-Lite spec to a standalone SVG string. `idPrefix` is put before every
 * `id` the SVG defines (clip paths, gradients), so that several SVGs can be inlined in one
 * page without their `url(#…)` references colliding. The SVG gets a `<title>` and
 * `role="img"` with the spec's description, for screen readers and tooltips.
 *
 * @example
 * const svg = await renderSvg({ data: { values: [{ x: 1, y: 2 }] }, mark: "point",
 *   encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } }, "fig1-");
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix = ""): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Warn });
  try {
    const svg = await view.toSVG();
    return label(prefixIds(svg, idPrefix), spec.description ?? titleText(spec));
  } finally {
    view.finalize();
  }
}

/** The spec's title as plain text ("" when it has none). */
function titleText(spec: TopLevelSpec): string {
  const title = spec.title;
  if (title === undefined) return "";
  if (typeof title === "string") return title;
  if (Array.isArray(title)) return title.join(" ");
  const text = (title as { text?: unknown }).text;
  return Array.isArray(text) ? text.join(" ") : String(text ?? "");
}

/** Prefixes every id defined in the SVG and every reference to it. */
function prefixIds(svg: string, prefix: string): string {
  if (!prefix) return svg;
  const ids = new Set([...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!));
  if (ids.size === 0) return svg;
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (whole, id: string) => (ids.has(id) ? `url(#${prefix}${id})` : whole))
    .replace(/href="#([^"]+)"/g, (whole, id: string) => (ids.has(id) ? `href="#${prefix}${id}"` : whole));
}

/** Adds role="img", an aria-label and a <title> to the root <svg>. */
function label(svg: string, text: string): string {
  if (!text) return svg;
  const escaped = escapeXml(text);
  return svg.replace(/^<svg\b([^>]*)>/, `<svg$1 role="img" aria-label="${escaped}"><title>${escaped}</title>`);
}

/**
 * Escapes text for XML/HTML content and attribute values.
 *
 * @example
 * escapeXml('a < b & "c"'); // "a &lt; b &amp; &quot;c&quot;"
 */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
