/** `gradlab check MODEL`: the gradient-flow diagnosis of a tfjs-layers model saved as model.json + weight files. */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { CHECK_LOSSES, type CheckLossName, checkModel, checkPageFiles, checkReportSchema, checkText, DEFAULT_CHECK_ROWS, loadModelFiles, readBatchFile } from "../../check/mod.ts";
import { validate } from "../../core/mod.ts";
import { checkOutputDir, writeFileAtomic, writeOutputDir } from "../../output/mod.ts";
import { defineCommand } from "../command.ts";
import { shellLine } from "../command-line.ts";
import { UsageError } from "../usage-error.ts";

export const checkCommand = defineCommand({
  name: "check",
  summary: "diagnose gradient flow in a tfjs-layers model (model.json + weights): vanishing, exploding or healthy, per layer",
  args: "MODEL.json",
  arity: [1, 1],
  flags: {
    data: { type: "string", value: "FILE", description: "the batch to measure on: IDX, CSV (header row; a \"label\" column is the targets) or JSON ({\"x\": rows, \"y\": labels}); default: standard-normal inputs from the seed" },
    labels: { type: "string", value: "FILE", description: "IDX labels for an IDX --data file" },
    labelColumn: { type: "string", value: "NAME", description: "the CSV column holding labels or targets (default: \"label\" when present)" },
    scale: { type: "number", value: "N", description: "divide the data's values by N (default: 255 for unsigned-byte IDX, else 1)" },
    batch: { type: "integer", value: "ROWS", description: `rows to measure on, one batch: the first ROWS of --data or ROWS standard-normal ones (default ${DEFAULT_CHECK_ROWS}, a typical training batch)` },
    loss: { type: "string", value: "NAME", choices: ["auto", ...CHECK_LOSSES], default: "auto", description: `the loss to differentiate: auto (the model's compiled loss, else one chosen from its output layer), ${CHECK_LOSSES.join(", ")}` },
    json: { type: "string", value: "FILE", path: "file", output: true, description: "write the report as JSON (schema-checked)" },
    html: { type: "string", value: "DIR", description: "write a page with figures (index.html, figures/*.svg)" },
    strict: { type: "boolean", description: "exit 1 unless the verdict is healthy (for CI)" },
  },
  async run({ flags, args, argv, stdout, stderr, useBackend, seed }) {
    const model = modelPath(args[0]!);
    if (flags.batch !== undefined && flags.batch < 2) throw new UsageError(`--batch: expected an integer ≥ 2, got ${flags.batch}`);
    if (flags.data === undefined) {
      for (const flag of ["labels", "labelColumn", "scale"] as const) {
        if (flags[flag] !== undefined) throw new UsageError(`${flag === "labelColumn" ? "--label-column" : `--${flag}`} goes with --data`);
      }
    }
    if (flags.html !== undefined) checkOutputDir(flags.html, "--html");
    const batch = flags.data === undefined ? undefined : readBatchFile(flags.data, {
      ...(flags.labels !== undefined && { labels: flags.labels }),
      ...(flags.labelColumn !== undefined && { labelColumn: flags.labelColumn }),
      ...(flags.scale !== undefined && { scale: flags.scale }),
      rows: flags.batch ?? DEFAULT_CHECK_ROWS,
    }, "--data");
    const runSeed = seed();
    await useBackend();
    const report = await checkModel(await loadModelFiles(model), {
      seed: runSeed,
      source: model,
      loss: flags.loss as "auto" | CheckLossName,
      ...(batch ? { batch } : {}),
      ...(flags.batch !== undefined ? { rows: flags.batch } : {}),
    });
    stdout.write(checkText(report));
    if (flags.json !== undefined) {
      await writeFileAtomic(flags.json, JSON.stringify(validate(checkReportSchema, report, "check report"), null, 1) + "\n");
      stderr.write(`gradlab: wrote ${flags.json}\n`);
    }
    if (flags.html !== undefined) {
      await writeOutputDir(flags.html, await checkPageFiles(report), "--html", shellLine(["gradlab", ...argv]));
      stderr.write(`gradlab: wrote ${join(flags.html, "index.html")}\n`);
    }
    if (flags.strict && report.verdict !== "healthy") {
      stderr.write(`gradlab: check --strict: the verdict is ${report.verdict}\n`);
      return 1;
    }
  },
});

/** MODEL names model.json or the directory holding it. */
function modelPath(arg: string): string {
  return existsSync(arg) && statSync(arg).isDirectory() ? join(arg, "model.json") : arg;
}
