/**
 * Writing a property report: the JSON (validated against its schema first), the Markdown
 * summary next to it, and JUnit XML when asked. Files are written whole (temporary file,
 * then rename), so a reader never sees half a report.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import process from "node:process";
import { renderJunit } from "./report-junit.ts";
import { renderMarkdown } from "./report-markdown.ts";
import { type PropertyReport, validatePropertyReport } from "./report-schema.ts";

/** Where the report goes when nothing else is said (report/ is git-ignored). */
export const DEFAULT_REPORT_JSON = "report/properties.json";

/**
 * The Markdown path for a JSON path.
 *
 * @example
 * markdownPathFor("report/properties.json"); // "report/properties.md"
 */
export function markdownPathFor(json: string): string {
  return json.replace(/\.json$/i, "") + ".md";
}

function writeWhole(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * Validates and writes a report; returns the paths written.
 *
 * @example
 * writePropertyReport(report, { json: "report/properties.json", junit: "report/properties.xml" });
 */
export function writePropertyReport(report: PropertyReport, paths: { json: string; markdown?: string; junit?: string }): string[] {
  validatePropertyReport(report);
  const markdown = paths.markdown ?? markdownPathFor(paths.json);
  writeWhole(paths.json, JSON.stringify(report, null, 2) + "\n");
  writeWhole(markdown, renderMarkdown(report));
  const written = [paths.json, markdown];
  if (paths.junit) {
    writeWhole(paths.junit, renderJunit(report));
    written.push(paths.junit);
  }
  return written;
}
