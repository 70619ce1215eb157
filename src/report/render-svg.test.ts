import * as vega from "vega";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { escapeXml, renderSvg } from "./render-svg.ts";

const points = {
  title: "Two points",
  data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
  mark: "point",
  encoding: { x: { field: "x", type: "quantitative", title: "x axis" }, y: { field: "y", type: "quantitative", title: "y axis" } },
} as const;

test("renderSvg: a standalone SVG with its marks, its title and axis titles as text", async () => {
  const svg = await renderSvg(points);
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /role="img" aria-label="Two points"><title>Two points<\/title>/);
  assert.is((svg.match(/class="mark-symbol role-mark/g) ?? []).length, 1);
  assert.is((svg.match(/<path [^>]*d="M/g) ?? []).length >= 2, true, "two point symbols");
  for (const text of ["Two points", "x axis", "y axis"]) assert.ok(svg.includes(`>${text}</text>`), text);
});

test("text widths are estimated from the font size, without a canvas, so layouts match under Bun and Deno", async () => {
  // Vega measures with a canvas when it can load one; here neither runtime has one, and its
  // estimate is 0.8 × characters × font size (vega-scenegraph's estimateWidth).
  const { textMetrics } = vega as unknown as { textMetrics: { width(item: object, text: string): number } }; // not in vega's types
  assert.is(textMetrics.width({ fontSize: 10 }, "abcd"), 32);
  const a = await renderSvg(points), b = await renderSvg(points);
  assert.is(a, b, "rendering is deterministic");
});

test("renderSvg: ids are prefixed and their references follow, so SVGs can share one page", async () => {
  const clipped = { ...points, mark: { type: "point", clip: true } } as const;
  const svg = await renderSvg(clipped, "fig7-");
  const ids = [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!);
  const refs = [...svg.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]!);
  assert.ok(ids.length > 0, "a clipped mark defines a clip path");
  for (const id of [...ids, ...refs]) assert.ok(id.startsWith("fig7-"), id);
  for (const ref of refs) assert.ok(ids.includes(ref), `${ref} is defined`);
  assert.ok(svg.includes("url(#fig7-"));
});

test("escapeXml: the five XML specials", () => {
  assert.is(escapeXml(`a < b & "c" > 'd'`), "a &lt; b &amp; &quot;c&quot; &gt; &#39;d&#39;");
});

test.run();
