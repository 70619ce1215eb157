/**
 * Writing a property report: the JSON (validated against its schema first), the Markdown
 * summary next to it, and JUnit XML when asked. Files are written whole (src/output's
 * writeFileAtomic), so a reader never sees half a report.
 */
import { writeFileAtomic } from "../src/output/mod.ts";
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

/**
 * Validates and writes a report; returns the paths written.
 *
 * @example
 * await writePropertyReport(report, { json: "report/properties.json", junit: "report/properties.xml" });
 */
export async function writePropertyReport(report: PropertyReport, paths: { json: string; markdown?: string; junit?: string }): Promise<string[]> {
  validatePropertyReport(report);
  const markdown = paths.markdown ?? markdownPathFor(paths.json);
  await writeFileAtomic(paths.json, JSON.stringify(report, null, 2) + "\n");
  await writeFileAtomic(markdown, renderMarkdown(report));
  const written = [paths.json, markdown];
  if (paths.junit) {
    await writeFileAtomic(paths.junit, renderJunit(report));
    written.push(paths.junit);
  }
  return written;
}
