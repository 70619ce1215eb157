/** `gradlab run EXPERIMENT|FILE`: runs one experiment (E1–E6 by name, or an experiment file) with a progress bar and prints its summary and claims. */
import process from "node:process";
import { backendHandle } from "../../backend/mod.ts";
import {
  experimentLabel,
  type Experiment,
  ExperimentFileError,
  experimentOf,
  EXPERIMENTS,
  formatClaim,
  fmt,
  fmtValue,
  PROFILES,
  type Profile,
  type ResultBase,
  type RunSummary,
  runExperiment,
} from "../../experiments/mod.ts";
import { checkDataDirs } from "../../data/mod.ts";
import { commandLine, fixtureText, gitState, toFixture } from "../../golden/mod.ts";
import { writeOutput } from "../../output/mod.ts";
import { defineCommand } from "../command.ts";
import { createProgress, formatDuration, type Progress } from "../progress.ts";
import { UsageError } from "../usage-error.ts";
import { claimsJUnit } from "../../seeds/mod.ts";
import { runOverSeeds, seedFlags, seedsOfFlags } from "./run-seeds.ts";

export const runFlags = {
  profile: { type: "string", choices: PROFILES, default: "quick", description: "full: the source's exact configuration; quick: a CI-sized cut" },
  out: { type: "string", value: "FILE", path: "file", output: "stdout", description: "write the result (fixture-shaped JSON) to FILE, whole; - for standard output (the summary then goes to stderr)" },
  dataDir: { type: "string", value: "DIR", path: "directory", description: "Fashion-MNIST IDX files (default: GRADLAB_DATA_DIR, /usr/share/datasets/fashion-mnist)" },
  mnistDir: { type: "string", value: "DIR", path: "directory", description: "full MNIST IDX files (default: GRADLAB_MNIST_DIR, else the mnist package's 10,000 digits)" },
  ...seedFlags,
} as const;

/** The final metrics of each run, one line each. */
export function formatRunSummaries(runs: RunSummary[]): string[] {
  return runs.map((r) => {
    const parts = [`loss ${fmt(r.finalLossMean)}`];
    if (r.finalTrainAccuracy !== undefined) parts.push(`train acc ${fmt(r.finalTrainAccuracy)}`);
    if (r.finalTrainLoss !== undefined) parts.push(`train loss ${fmt(r.finalTrainLoss)}`);
    if (r.finalTestAccuracy !== undefined) parts.push(`test acc ${fmt(r.finalTestAccuracy)}`);
    if (r.finalTestLoss !== undefined) parts.push(`test loss ${fmt(r.finalTestLoss)}`);
    return `  ${r.name}: ${r.iterations} iterations; ${parts.join(", ")}`;
  });
}

/** The summary printed after a run: final metrics (where the experiment trains) and every claim. */
export function formatResultSummary(result: ResultBase, elapsedMs: number, e: Pick<Experiment, "id" | "name">): string {
  const lines = [`${experimentLabel(e)}/${result.profile}: seed ${result.config.seed}, ${result.environment.backend} on ${result.environment.runtime}, ${formatDuration(elapsedMs)}`];
  lines.push(`  data: ${result.data.source.name}, ${result.data.trainRows} train / ${result.data.testRows} test rows${result.data.full ? " (full)" : ""}`);
  const summary = result.summary as { runs?: RunSummary[]; measures?: Record<string, number | number[]> } & Record<string, unknown>;
  if (summary.runs) lines.push(...formatRunSummaries(summary.runs));
  for (const [name, v] of Object.entries(summary.measures ?? {})) lines.push(`  ${name}: ${fmtValue(v)}`);
  for (const part of Object.values(summary)) {
    const keep = (part as { keepVariance?: string[] } | null)?.keepVariance;
    if (keep) lines.push(`  pairs that keep the variance: ${keep.join("; ") || "none"}`);
  }
  const held = result.claims.filter((c) => c.held).length;
  lines.push(`claims: ${held}/${result.claims.length} held`);
  for (const c of result.claims) lines.push(`  ${formatClaim(c)}`);
  return lines.join("\n");
}

export const runCommand = defineCommand({
  name: "run",
  summary: "run one experiment (E1…E6, or an experiment file) and check its claims, on one seed or judged over many (--seeds)",
  args: "EXPERIMENT|FILE",
  arity: [1, 1],
  flags: runFlags,
  async run({ args, flags, global, stdout, stderr, useBackend }) {
    let experiment;
    try {
      experiment = experimentOf(args[0]!);
    } catch (e) {
      if (e instanceof ExperimentFileError) throw e;
      throw new UsageError(`unknown experiment ${JSON.stringify(args[0])}; one of: ${EXPERIMENTS.map((e) => `${e.name} (${e.id})`).join(", ")}, or an experiment file (FILE.json)`);
    }
    const profile = flags.profile as Profile;
    checkDataDirs({ dataDir: flags.dataDir, mnistDir: flags.mnistDir, env: process.env });
    const seed = global.seed ?? experiment.defaultSeed;
    const overSeeds = seedsOfFlags(flags, seed, process.env);
    if (overSeeds) return await runOverSeeds(experiment, profile, overSeeds, { flags, global, stdout, stderr, useBackend });
    if (flags.out === "-" && flags.junit === "-") throw new UsageError("--out and --junit cannot both be standard output (-)");
    const info = await useBackend();
    stderr.write(
      `${experimentLabel(experiment)}/${profile}: ${experiment.profiles[profile]}\n` +
        `seed ${seed}${global.seed === undefined ? " (the experiment's default; change with --seed N)" : ""}, backend ${info.name}\n`,
    );
    let bar: Progress | undefined;
    const t0 = performance.now();
    const result = await runExperiment(experiment, profile, {
      seed,
      dataDir: flags.dataDir,
      mnistDir: flags.mnistDir,
      env: process.env,
      runsOn: backendHandle(info.name),
      onProgress(p) {
        bar ??= createProgress({ label: `${experiment.id} ${profile}`, total: p.total, stream: stderr });
        const run = p.epoch !== undefined ? `${p.run} (run ${p.runIndex}/${p.runs}) epoch ${p.epoch}/${p.epochs}` : p.run;
        const loss = p.loss !== undefined ? ` loss ${fmt(p.loss)}` : "";
        bar.update(p.done, `${run}${loss}`);
      },
    });
    const elapsed = performance.now() - t0;
    bar?.done();
    (flags.out === "-" || flags.junit === "-" ? stderr : stdout).write(formatResultSummary(result, elapsed, experiment) + "\n");
    if (flags.out) {
      const git = gitState();
      const fixture = toFixture(result, {
        command: commandLine(),
        commit: git.commit,
        dirty: git.dirtyPaths.length > 0,
        generatedAt: new Date().toISOString(),
        elapsedSeconds: Math.round(elapsed / 100) / 10,
      });
      await writeOutput(flags.out, fixtureText(fixture), stdout);
      if (flags.out !== "-") stderr.write(`wrote ${flags.out}\n`);
    }
    if (flags.junit) {
      const properties = { seed: String(seed), backend: `${result.environment.backend} (${result.environment.device})` };
      await writeOutput(flags.junit, claimsJUnit(result.claims, `${experimentLabel(experiment)}/${profile}`, `gradlab.${experiment.name}.${profile}`, properties), stdout);
      if (flags.junit !== "-") stderr.write(`wrote ${flags.junit} (--junit)\n`);
    }
    const failed = result.claims.filter((c) => !c.held).map((c) => c.id);
    if (flags.strict && failed.length) {
      stderr.write(`gradlab: --strict: ${failed.length} claim${failed.length > 1 ? "s" : ""} failed on seed ${seed}: ${failed.join(", ")}\n`);
      return 1;
    }
  },
});
