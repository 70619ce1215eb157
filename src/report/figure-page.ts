/**
 * A one-page HTML document of figures in the report's look (`gradlab check --html`,
 * `gradlab plot`): a header with facts and tiles, sections of figures, tables and notices,
 * inline SVG and CSS, nothing loaded. Plain data in, an HTML string and file list out; the
 * CLI writes them.
 */
import type { RenderedFigure } from "./figure.ts";
import { figureHtml } from "./html.ts";
import { htmlDocument } from "./page-style.ts";
import { escapeXml as esc } from "./render-svg.ts";

/** A tile of the header: a label, a big value and a line under it; `bad` paints it red. */
export interface PageTile {
  label: string;
  value: string;
  sub: string;
  bad?: boolean;
}

/** A part of the page's body, in order. */
export type PageBlock =
  | { kind: "figure"; figure: RenderedFigure }
  | { kind: "paragraph"; text: string }
  | { kind: "notice"; tone: "failed" | "info" | "absent"; text: string }
  | { kind: "table"; head: string[]; rows: string[][]; numeric?: boolean[] }
  | { kind: "code"; text: string };

export interface PageSection {
  id: string;
  title: string;
  blocks: PageBlock[];
}

/** What the page says, as plain text (everything is escaped when written). */
export interface FigurePage {
  /** the <title> and <h1> */
  title: string;
  lede: string;
  /** facts under the title: label → value */
  meta: [label: string, value: string][];
  tiles: PageTile[];
  sections: PageSection[];
  footer: string;
}

/** A file of a page directory, relative to it. */
export interface PageFile {
  path: string;
  text: string;
}

/**
 * The page as one self-contained HTML string.
 *
 * @example
 * const html = figurePageHtml({ title: "gradlab plot", lede: "…", meta: [], tiles: [], sections: [], footer: "" });
 */
export function figurePageHtml(page: FigurePage): string {
  const tiles = page.tiles.map((t) =>
    `<div class="tile${t.bad ? " bad" : ""}"><div class="label">${esc(t.label)}</div><div class="value">${esc(t.value)}</div><div class="sub">${esc(t.sub)}</div></div>`
  ).join("");
  const meta = page.meta.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("\n");
  const sections = page.sections.map((s) => `<section id="${esc(s.id)}"><h2>${esc(s.title)}</h2>\n${s.blocks.map(block).join("\n")}\n</section>`);
  return htmlDocument(page.title, `<header>
<h1>${esc(page.title)}</h1>
<p class="lede">${esc(page.lede)}</p>
<dl class="meta">
${meta}
</dl>
${tiles ? `<div class="tiles">${tiles}</div>` : ""}
</header>
${sections.join("\n")}
<footer><p>${esc(page.footer)}</p></footer>`);
}

function block(b: PageBlock): string {
  switch (b.kind) {
    case "figure":
      return figureHtml(b.figure);
    case "paragraph":
      return `<p>${esc(b.text)}</p>`;
    case "notice":
      return `<div class="notice ${b.tone}"${b.tone === "failed" ? ` role="alert"` : ""}>${esc(b.text)}</div>`;
    case "code":
      return `<p><code>${esc(b.text)}</code></p>`;
    case "table": {
      const cls = (i: number) => (b.numeric?.[i] ? ` class="num"` : "");
      const head = b.head.map((h, i) => `<th${cls(i)}>${esc(h)}</th>`).join("");
      const rows = b.rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${esc(c)}</td>`).join("")}</tr>`).join("\n");
      return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
    }
  }
}

/**
 * The files of a page directory: index.html and figures/<id>.svg (standalone, with an XML
 * declaration, as the report writes them).
 *
 * @example
 * const files = figurePageFiles(page, figures); // [{ path: "index.html", … }, { path: "figures/run-loss.svg", … }]
 */
export function figurePageFiles(page: FigurePage, figures: readonly RenderedFigure[]): PageFile[] {
  return [
    { path: "index.html", text: figurePageHtml(page) },
    ...figures.map((f) => ({ path: f.file, text: `<?xml version="1.0" encoding="utf-8"?>\n${f.svg}\n` })),
  ];
}
