/**
 * `gradlab props`: the property suites — every law of the training core as a fast-check
 * property, on every available backend (or the one --backend names), from one seed. Writes
 * the property report (JSON + Markdown, and JUnit XML with --junit); prints each failure with
 * its shrunk counterexample and the command that replays it; exits 1 when a law fails.
 */
import process from "node:process";
import { type BackendName, isBackendName } from "../../backend/mod.ts";
import { DEFAULT_REPORT_JSON, describeResult, LAWS, markdownPathFor, runProperties, writePropertyReport } from "../../../properties/mod.ts";
import { checkOutputFile } from "../../output/mod.ts";
import { defineCommand } from "../command.ts";
import { createProgress, type Progress } from "../progress.ts";
import { UsageError } from "../usage-error.ts";

export const propsCommand = defineCommand({
  name: "props",
  allBackends: true,
  summary: "check the numeric laws of the training core (fast-check properties) on every available backend (--backend all, the default), or on --backend NAME (or GRADLAB_BACKEND); writes the property report",
  flags: {
    profile: { type: "string", choices: ["ci", "thorough"], default: "ci", description: "run counts: ci, or thorough (10× more)" },
    runs: { type: "integer", value: "N", description: "inputs per law and backend, replacing the profile's counts" },
    filter: { type: "string", value: "REGEX", description: "only the laws whose name matches" },
    path: { type: "string", value: "PATH", description: "replay one counterexample: fast-check's path, printed with a failure (use with its --seed and --filter)" },
    json: { type: "string", value: "FILE", path: "file", output: true, default: DEFAULT_REPORT_JSON, description: "the JSON report; the Markdown summary goes next to it (.md)" },
    junit: { type: "string", value: "FILE", path: "file", output: true, description: "also write JUnit XML" },
    list: { type: "boolean", description: "list the laws and exit" },
  },
  async run({ flags, global, stdout, stderr, seed }) {
    if (flags.list) {
      const width = Math.max(...LAWS.map((l) => l.name.length)) + 2;
      for (const law of LAWS) stdout.write(`${law.name.padEnd(width)}${law.group.padEnd(14)}${law.statement}\n`);
      return 0;
    }
    if (flags.runs !== undefined && flags.runs < 1) throw new UsageError(`--runs: expected a positive integer, got ${flags.runs}`);
    if (flags.filter !== undefined) {
      try {
        new RegExp(flags.filter);
      } catch (error) {
        throw new UsageError(`--filter: ${(error as Error).message}`);
      }
    }
    const named = global.backend ?? (process.env.GRADLAB_BACKEND || undefined);
    if (named !== undefined && named !== "all" && !isBackendName(named)) {
      throw new UsageError(`GRADLAB_BACKEND: expected a backend name or all, got ${JSON.stringify(named)}`);
    }
    checkOutputFile(markdownPathFor(flags.json), "--json (its Markdown summary)");
    const backends: BackendName[] | "all" = named !== undefined && named !== "all" ? [named] : "all";
    const profile = flags.profile as "ci" | "thorough";
    const s = seed();
    stderr.write(`gradlab props: profile ${profile}${flags.runs ? `, ${flags.runs} runs each` : ""}\n`);

    let progress: Progress | undefined;
    const report = await runProperties({
      laws: LAWS,
      backends,
      profile,
      seed: s,
      ...(flags.runs !== undefined ? { runs: flags.runs } : {}),
      ...(flags.filter !== undefined ? { filter: flags.filter } : {}),
      ...(flags.path !== undefined ? { path: flags.path } : {}),
      onStart: (law, backend, index, total) => {
        progress ??= createProgress({ label: "properties", total, stream: stderr });
        progress.update(index, `${law.name} on ${backend}`);
      },
      onResult: (result, index) => {
        progress?.update(index + 1, `${result.property} on ${result.backend}`);
        if (result.status === "failed") stderr.write(`\n${describeResult(result)}\n`);
      },
    });
    const { passed, failed, skipped, total } = report.summary;
    progress?.done(`${passed} passed, ${failed} failed`);

    const written = await writePropertyReport(report, { json: flags.json, ...(flags.junit ? { junit: flags.junit } : {}) });
    const checked = report.backends.filter((b) => b.checked).map((b) => b.name);
    stdout.write(
      `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""} of ${total} (laws × backends: ${checked.join(", ")}), seed ${s}\n` +
        `report: ${written.join(", ")}\n` +
        (failed ? `replay a failure with the command printed above it; repeat the whole run with: ${report.command}\n` : ""),
    );
    return failed ? 1 : 0;
  },
});
