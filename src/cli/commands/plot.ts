/** `gradlab plot RUN`: draws a run (a `train --out` result or a `train --log` run log) as a page of figures and, with --csv, as spreadsheets. */
import { join } from "node:path";
import { plotRun, runCsvFiles, stopSummary } from "../../plot/mod.ts";
import { checkOutputDir, writeOutputDir } from "../../output/mod.ts";
import { readRun } from "../../run-files/mod.ts";
import { defineCommand } from "../command.ts";
import { shellLine } from "../command-line.ts";

/**
 * Where the page goes without --out: beside the run file, its name without .json/.jsonl
 * plus "-plot" (runs/e1.json → runs/e1-plot).
 *
 * @example
 * defaultPlotDir("runs/e1.jsonl"); // "runs/e1-plot"
 */
export function defaultPlotDir(run: string): string {
  return run.replace(/\.jsonl?$/i, "") + "-plot";
}

export const plotCommand = defineCommand({
  name: "plot",
  summary: "draw a run (train --out result or train --log run log, also one stopped by NaN) as an HTML page with SVG figures",
  args: "RUN",
  arity: [1, 1],
  flags: {
    out: { type: "string", value: "DIR", description: "the page's directory (index.html, figures/*.svg); default: beside RUN, RUN without .json/.jsonl plus -plot" },
    csv: { type: "string", value: "DIR", description: "also write the run's numbers as CSV (epochs.csv, steps.csv, stop.csv when it stopped)" },
  },
  async run({ flags, args, argv, stdout }) {
    const file = args[0]!;
    const out = flags.out ?? defaultPlotDir(file);
    checkOutputDir(out, flags.out === undefined ? "--out (default)" : "--out");
    if (flags.csv !== undefined) checkOutputDir(flags.csv, "--csv");
    const run = readRun(file);
    const command = shellLine(["gradlab", ...argv]);
    const { figures, files } = await plotRun(run);
    await writeOutputDir(out, files, "--out", command);
    const ending = run.ending.kind === "end" ? `finished after ${run.ending.iterations} iterations` : run.ending.kind === "stop" ? `stopped: ${stopSummary(run) ?? run.ending.message}` : `cut off (${run.ending.note})`;
    const lines = [
      `${file}: a run ${run.from === "log" ? "log" : "result"}, ${run.epochs.length} epoch${run.epochs.length === 1 ? "" : "s"} and ${run.steps.length} recorded step${run.steps.length === 1 ? "" : "s"}, ${ending}`,
      `wrote ${join(out, "index.html")} with ${figures.length} figure${figures.length === 1 ? "" : "s"}: ${figures.map((f) => f.id).join(", ")}`,
    ];
    if (flags.csv !== undefined) {
      const csv = runCsvFiles(run);
      await writeOutputDir(flags.csv, csv, "--csv", command);
      lines.push(`wrote ${csv.map((f) => join(flags.csv!, f.path)).join(", ")}`);
    }
    stdout.write(lines.join("\n") + "\n");
  },
});
