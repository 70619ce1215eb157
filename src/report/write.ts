/**
 * Writing a built report to its directory: index.html, report.json, summary.md,
 * figures/*.svg (and the property report it shows, and the browser check's screenshot).
 * The directory is built aside and swapped in whole, so a full disk or a Ctrl-C midway
 * leaves the earlier report as it was; what the report did not make is kept.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type PropertyReport, renderMarkdown } from "../../properties/mod.ts";
import { checkOutputDirectory, OutputPathError, replaceDirectory } from "../output/mod.ts";
import type { BuiltReport } from "./build.ts";
import { reportHtml } from "./html.ts";
import { validateReport } from "./report-schema.ts";
import { summaryMarkdown } from "./summary-markdown.ts";

/** The files a report directory holds, relative to it. */
export const REPORT_FILES = {
  html: "index.html",
  json: "report.json",
  summary: "summary.md",
  figures: "figures",
  screenshot: "screenshot.png",
  properties: "properties.json",
  propertiesSummary: "properties.md",
} as const;

/** What each report makes anew: an earlier report's copies are replaced (a screenshot of an older page too). */
const REPLACED = new Set<string>([REPORT_FILES.html, REPORT_FILES.json, REPORT_FILES.summary, REPORT_FILES.figures, REPORT_FILES.screenshot]);

/** What other gradlab commands write into report/: `gradlab props`' default report, the browser test's page. */
const WRITTEN_HERE_BY_GRADLAB = new Set<string>([REPORT_FILES.properties, REPORT_FILES.propertiesSummary, "browser-test"]);

/**
 * Checks, before any work, that `path` (given with `flag`) can take a report: absent,
 * empty, an earlier report, or holding only what other gradlab commands write there. A
 * directory of other files is refused rather than mixed with a report. Returns its real path.
 *
 * @example
 * checkReportDirectory(flags.out, "--out");
 */
export function checkReportDirectory(path: string, flag = "--out"): string {
  const real = checkOutputDirectory(path, flag);
  if (!existsSync(real)) return real;
  const entries = readdirSync(real);
  if (isEarlierReport(entries)) return real;
  const foreign = entries.filter((name) => !WRITTEN_HERE_BY_GRADLAB.has(name));
  if (foreign.length === 0) return real;
  const shown = foreign.slice(0, 5).join(", ") + (foreign.length > 5 ? `, … (${foreign.length} in all)` : "");
  throw new OutputPathError(
    `${flag} ${path}: not empty and not an earlier gradlab report (it holds ${shown}); a report replaces its ` +
      "directory whole, so give a new or empty directory, or one an earlier report was written to",
  );
}

function isEarlierReport(entries: string[]): boolean {
  return entries.includes(REPORT_FILES.html) && entries.includes(REPORT_FILES.json);
}

export interface WriteReportOptions {
  /** the property report the page shows, saved beside it (properties.json and .md) */
  properties?: PropertyReport;
  /** runs on the finished page before it is swapped in (the browser check; it may add files to `dir`) */
  beforeSwap?: (index: string, dir: string) => Promise<void>;
}

/**
 * Writes the report into `dir` (created when missing): report.json is validated against its
 * schema first; the new directory is built aside and swapped in whole. Entries of an earlier
 * report that this one does not make anew (a saved property report, files put there by
 * hand, SVGs in figures/ that no report listed) are kept. Returns the path of index.html.
 *
 * @example
 * const index = await writeReport("report", await buildReport(inputs));
 */
export async function writeReport(dir: string, built: BuiltReport, options: WriteReportOptions = {}): Promise<string> {
  validateReport(JSON.parse(JSON.stringify(built.report)));
  const real = checkReportDirectory(dir);
  const keptFigures = figuresNotMadeByReports(real);
  await replaceDirectory(real, async (aside) => {
    mkdirSync(join(aside, REPORT_FILES.figures));
    for (const f of built.figures) await writeFile(join(aside, f.file), `<?xml version="1.0" encoding="utf-8"?>\n${f.svg}\n`);
    for (const name of keptFigures) {
      const to = join(aside, REPORT_FILES.figures, name);
      if (!existsSync(to)) copyFileSync(join(real, REPORT_FILES.figures, name), to);
    }
    await writeFile(join(aside, REPORT_FILES.json), JSON.stringify(built.report, null, 2) + "\n");
    await writeFile(join(aside, REPORT_FILES.summary), summaryMarkdown(built.report));
    if (options.properties) {
      await writeFile(join(aside, REPORT_FILES.properties), JSON.stringify(options.properties, null, 2) + "\n");
      await writeFile(join(aside, REPORT_FILES.propertiesSummary), renderMarkdown(options.properties));
    }
    await writeFile(join(aside, REPORT_FILES.html), reportHtml(built));
    await options.beforeSwap?.(join(aside, REPORT_FILES.html), aside);
  }, { carryOver: (name) => !REPLACED.has(name) });
  return join(dir, REPORT_FILES.html);
}

/** Files in an earlier report's figures/ that its report.json does not list: someone else's. */
function figuresNotMadeByReports(dir: string): string[] {
  const figures = join(dir, REPORT_FILES.figures);
  if (!existsSync(figures)) return [];
  let made: (name: string) => boolean;
  try {
    const report = JSON.parse(readFileSync(join(dir, REPORT_FILES.json), "utf8")) as { figures?: { file?: string }[] };
    const listed = new Set((report.figures ?? []).map((f) => String(f.file).split("/").pop()!));
    made = (name) => listed.has(name);
  } catch {
    made = (name) => name.endsWith(".svg"); // an unreadable report.json: its SVGs count as its own
  }
  return readdirSync(figures).filter((name) => !made(name));
}
