/**
 * `gradlab report` (= `npm start`): runs the property suites and E1, reads the other
 * experiments' fixtures, and writes report/: index.html, report.json, summary.md and the
 * figures as SVG files; then opens the page in headless Chromium when there is one.
 */
import { join, relative } from "node:path";
import process from "node:process";
import { checkDataDirs } from "../../data/mod.ts";
import { fmt } from "../../experiments/mod.ts";
import {
  buildReport,
  checkInBrowser,
  checkReportDirectory,
  consoleSummary,
  findChromium,
  formatProblem,
  gatherInputs,
  REPORT_FILES,
  writeReport,
} from "../../report/mod.ts";
import { defineCommand } from "../command.ts";
import { checkInputPath } from "../input-path.ts";
import { createProgress, formatDuration, type Progress } from "../progress.ts";

export const reportCommand = defineCommand({
  name: "report",
  summary: "run the property suites and E1, draw every experiment with data, write report/ (index.html, report.json, summary.md, SVGs)",
  flags: {
    quick: { type: "boolean", description: "E1's quick profile (embedded subset) even when the full Fashion-MNIST is here" },
    fromFixtures: { type: "boolean", description: "run nothing: draw E1 from its fixture too; properties from --properties or an earlier run's OUT/properties.json" },
    out: { type: "string", value: "DIR", path: "directory", output: true, default: "report", description: "where to write the report: a new or empty directory, or an earlier report's (replaced whole; files it did not make are kept)" },
    properties: { type: "string", value: "FILE", path: "file", description: "read the property report from FILE (as `gradlab props` writes it) instead of running the suites" },
    fixturesDir: { type: "string", value: "DIR", path: "directory", description: "read fixtures from DIR instead of the repository's fixtures/" },
    dataDir: { type: "string", value: "DIR", path: "directory", description: "Fashion-MNIST IDX files (default: GRADLAB_DATA_DIR, /usr/share/datasets/fashion-mnist); a directory without them is an error" },
    noBrowser: { type: "boolean", description: "do not open the page in headless Chromium afterwards" },
  },
  async run({ flags, global, stdout, stderr, useBackend, seed }) {
    const t0 = performance.now();
    const out = flags.out;
    // Before any work: where the report goes, and the data it was pointed at.
    checkReportDirectory(out, "--out");
    checkDataDirs({ dataDir: flags.dataDir, env: process.env });
    if (flags.properties !== undefined) checkInputPath(flags.properties, "--properties", "file");
    if (flags.fixturesDir !== undefined) checkInputPath(flags.fixturesDir, "--fixtures-dir", "directory");
    let bar: Progress | undefined;
    const inputs = await gatherInputs({
      fromFixtures: flags.fromFixtures,
      quick: flags.quick,
      fixturesDir: flags.fixturesDir,
      propertiesFile: flags.properties,
      savedPropertiesFile: join(out, "properties.json"),
      dataDir: flags.dataDir,
      env: process.env,
      seed,
      e1Seed: global.seed,
      useBackend,
      onPropertiesStart(total) {
        bar = createProgress({ label: "properties (ci)", total, stream: stderr });
      },
      onPropertyProgress(done, total, r) {
        bar?.update(done, `${r.property} on ${r.backend}: ${r.status}`);
        if (done === total) bar?.done();
      },
      onE1Start(profile, description) {
        stderr.write(`E1 fashion-sigmoid-vs-relu, ${profile} profile: ${description}\n`);
        bar = undefined;
      },
      onE1Progress(p) {
        bar ??= createProgress({ label: "E1", total: p.total, stream: stderr });
        const loss = p.loss !== undefined ? ` loss ${fmt(p.loss)}` : "";
        bar.update(p.done, `${p.run}${p.epoch !== undefined ? ` epoch ${p.epoch}/${p.epochs}` : ""}${loss}`);
        if (p.done === p.total) bar.done();
      },
      log: (line) => stderr.write(`${line}\n`),
    });
    if (!inputs.fashionMnist.full) stderr.write(`note: ${inputs.fashionMnist.note}\n`);

    const built = await buildReport({ ...inputs, command: commandText(flags, global) });
    for (const s of built.report.sections) {
      if (s.status === "failed" && s.problem) stderr.write(`gradlab: section ${s.id} failed: ${formatProblem(s.problem)}\n`);
    }

    // The browser check runs on the finished page before it is swapped in, so its screenshot is part of the report.
    let browserProblems = 0;
    let browserLine = "";
    const chromium = findChromium(process.env);
    const screenshot = join(out, REPORT_FILES.screenshot);
    const index = await writeReport(out, built, {
      ...(inputs.properties.status === "ok" ? { properties: inputs.properties.value } : {}),
      async beforeSwap(page, dir) {
        if (flags.noBrowser) {
          browserLine = "browser check: skipped (--no-browser)";
        } else if (!chromium) {
          browserLine = "browser check: skipped: no Chromium here (apt-get install chromium, or set GRADLAB_CHROMIUM)";
        } else {
          try {
            const check = await checkInBrowser(page, { screenshot: join(dir, REPORT_FILES.screenshot), executablePath: chromium });
            browserProblems = check.problems.length;
            browserLine = check.ok
              ? `browser check: ok in Chromium ${check.browserVersion}: ${check.figures.length} figures drew marks, no requests or errors, ${check.scrollWidth} px wide; screenshot ${relative(".", screenshot) || screenshot}`
              : `browser check FAILED in Chromium ${check.browserVersion}:\n  ${check.problems.join("\n  ")}`;
          } catch (error) {
            browserProblems = 1;
            browserLine = `browser check FAILED: ${(error as Error).message.split("\n")[0]}`;
          }
        }
      },
    });
    stdout.write(consoleSummary(built.report, relative(".", index) || index));
    stdout.write(`${browserLine}\n`);
    stdout.write(`${built.figures.length} figures, ${built.report.sections.length} sections in ${formatDuration(performance.now() - t0)}\n`);
    return built.report.totals.sectionsFailed > 0 || browserProblems > 0 ? 1 : 0;
  },
});

/** The command line that repeats this report, for the page. */
function commandText(flags: Record<string, unknown>, global: { seed?: number; backend?: string }): string {
  const parts = ["gradlab report"];
  if (flags.quick) parts.push("--quick");
  if (flags.fromFixtures) parts.push("--from-fixtures");
  if (flags.out !== "report") parts.push(`--out ${flags.out}`);
  if (flags.properties) parts.push(`--properties ${flags.properties}`);
  if (flags.fixturesDir) parts.push(`--fixtures-dir ${flags.fixturesDir}`);
  if (flags.dataDir) parts.push(`--data-dir ${flags.dataDir}`);
  if (global.backend) parts.push(`--backend ${global.backend}`);
  if (global.seed !== undefined) parts.push(`--seed ${global.seed}`);
  return parts.join(" ");
}
