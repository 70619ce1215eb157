/** Writing a built report to its directory: index.html, report.json, summary.md, figures/*.svg. */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BuiltReport } from "./build.ts";
import { reportHtml } from "./html.ts";
import { validateReport } from "./report-schema.ts";
import { summaryMarkdown } from "./summary-markdown.ts";

/** The files a report directory holds, relative to it. */
export const REPORT_FILES = { html: "index.html", json: "report.json", summary: "summary.md", figures: "figures", screenshot: "screenshot.png" } as const;

/**
 * Writes the report into `dir` (created when missing). report.json is validated against
 * its schema first; SVGs of figures no longer in the report are removed from figures/.
 * Returns the path of index.html.
 *
 * @example
 * const index = writeReport("report", await buildReport(inputs));
 */
export function writeReport(dir: string, built: BuiltReport): string {
  validateReport(JSON.parse(JSON.stringify(built.report)));
  const figuresDir = join(dir, REPORT_FILES.figures);
  mkdirSync(figuresDir, { recursive: true });
  const current = new Set(built.figures.map((f) => f.file.split("/").pop()));
  for (const name of readdirSync(figuresDir)) {
    if (name.endsWith(".svg") && !current.has(name)) rmSync(join(figuresDir, name));
  }
  for (const f of built.figures) writeFileSync(join(dir, f.file), `<?xml version="1.0" encoding="utf-8"?>\n${f.svg}\n`);
  writeFileSync(join(dir, REPORT_FILES.json), JSON.stringify(built.report, null, 2) + "\n");
  writeFileSync(join(dir, REPORT_FILES.summary), summaryMarkdown(built.report));
  const index = join(dir, REPORT_FILES.html);
  writeFileSync(index, reportHtml(built));
  return index;
}
