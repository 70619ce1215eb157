/**
 * `gradlab run EXPERIMENT --seeds N|A..B [--shard I/N]`: the experiment once per seed, each
 * claim judged over the seeds (or, for a shard, the shard's seeds written for `merge`).
 */
import process from "node:process";
import { backendHandle, environment, runtimeInfo } from "../../backend/mod.ts";
import { type Experiment, experimentLabel, type Profile } from "../../experiments/mod.ts";
import { commandLine, gitState } from "../../golden/mod.ts";
import { writeOutput } from "../../output/mod.ts";
import {
  formatRule,
  formatSeedLine,
  formatSeedsResult,
  runSeeds,
  type SeedPlan,
  seedPlan,
  seedRule,
  type SeedsProvenance,
  type SeedsResult,
  seedsJUnit,
  seedsResultOf,
  seedsShardOf,
  seedsText,
  type Shard,
  shardOf,
  shardSeeds,
} from "../../seeds/mod.ts";
import type { CommandContext, Output } from "../command.ts";
import type { FlagSpecs } from "../flags.ts";
import { createProgress, formatDuration, type Progress } from "../progress.ts";
import { UsageError } from "../usage-error.ts";

/** The flags `run` takes for seeds and shards (its others: run.ts). */
export const seedFlags = {
  seeds: { type: "string", value: "N|A..B", description: "run once per seed and judge each claim over the seeds: N seeds from the base seed (--seed, else the experiment's default), or the range A..B" },
  seedRuns: {
    type: "string",
    choices: ["auto", "population", "apart"],
    description: "with --seeds, how the seeds' training runs train: population (each run of all the seeds as one population), apart (one run per seed, as alone), auto (population where tensors live on a device: webgpu, tfjs-node; else apart) (default auto)",
  },
  shard: { type: "string", value: "I/N", description: "with --seeds: run only shard I of N (0-based) and write a shard file for `gradlab merge` (default: JOB_COMPLETION_INDEX/JOB_COMPLETIONS or SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT when set)" },
  strict: { type: "boolean", description: "exit 1 when a claim is refuted over the seeds (with one seed: when a claim failed)" },
  junit: { type: "string", value: "FILE", path: "file", output: "stdout", description: "also write the claims as JUnit XML: supported passes, refuted fails, inconclusive is skipped" },
} as const satisfies FlagSpecs;

/**
 * This process as a provenance names it: the command, the time, the runtime, and the host
 * (with the backend's threads, for a process that trained).
 *
 * @example
 * processProvenance(); // { command: "gradlab merge …", generatedAt: "2026-…", runtime: "bun 1.4.5", host: "linux x64" }
 */
export function processProvenance(threads?: number): Pick<SeedsProvenance, "command" | "generatedAt" | "runtime" | "host"> {
  const rt = runtimeInfo();
  return {
    command: commandLine(),
    generatedAt: new Date().toISOString(),
    runtime: `${rt.runtime} ${rt.runtimeVersion}`,
    host: `${rt.platform} ${rt.arch}${threads !== undefined ? `, ${threads} thread${threads === 1 ? "" : "s"}` : ""}`,
  };
}

/**
 * Provenance of a file made by this process, which trained on the active backend, with the
 * work tree's uncommitted changes (from the run, which asked git once; else asked here).
 */
export function provenanceHere(elapsedMs: number, dirtyPaths: string[] = gitState().dirtyPaths): SeedsProvenance {
  const p: SeedsProvenance = { ...processProvenance(environment().threads), elapsedSeconds: Math.round(elapsedMs / 100) / 10, dirty: dirtyPaths.length > 0 };
  if (dirtyPaths.length) p.dirtyPaths = dirtyPaths.slice(0, 50);
  return p;
}

/** The seed plan and shard of a command line, checked before any work. */
export function seedsOfFlags(
  flags: { seeds?: string; shard?: string; seedRuns?: string; out?: string; strict: boolean; junit?: string },
  baseSeed: number,
  env: Record<string, string | undefined>,
): { plan: SeedPlan; shard?: Shard; seeds: number[] } | undefined {
  if (flags.seeds === undefined) {
    if (flags.shard !== undefined) throw new UsageError("--shard splits the seeds of --seeds N|A..B across processes: give --seeds too");
    if (flags.seedRuns !== undefined) throw new UsageError("--seed-runs says how the seeds of --seeds N|A..B train: give --seeds too");
    return undefined;
  }
  if (flags.out === "-" && flags.junit === "-") throw new UsageError("--out and --junit cannot both be standard output (-)");
  let plan: SeedPlan, shard: Shard | undefined, seeds: number[];
  try {
    plan = seedPlan(flags.seeds, baseSeed);
    shard = flags.shard !== undefined ? shardOf(flags.shard, env) : undefined;
    seeds = shard ? shardSeeds(plan.seeds, shard) : plan.seeds;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (!shard) {
    // the array-job variables: a bad one is an error of the environment (exit 1), not of usage
    shard = shardOf(undefined, env);
    if (shard) seeds = shardSeeds(plan.seeds, shard);
  }
  if (shard) {
    if (!flags.out) throw new UsageError(`${shard.source}: a shard writes a shard file for \`gradlab merge\`: give --out FILE`);
    if (flags.strict || flags.junit) throw new UsageError(`${shard.source}: --strict and --junit judge the claims, which happens when the shards are merged: give them to \`gradlab merge\``);
  }
  return { plan, shard, seeds };
}

/** Refused claims, and the line saying so, for --strict. */
export function strictOutcome(result: SeedsResult, stderr: Output): number {
  const refuted = result.claims.filter((c) => c.verdict === "refuted").map((c) => c.id);
  if (!refuted.length) return 0;
  stderr.write(`gradlab: --strict: ${refuted.length} claim${refuted.length > 1 ? "s" : ""} refuted: ${refuted.join(", ")}\n`);
  return 1;
}

/** The title line of a multi-seed result. */
export function seedsTitle(experimentId: string, r: SeedsResult, elapsedMs?: number): string {
  const seeds = r.seeds.length > 1 && r.seeds.every((s, i) => i === 0 || s === r.seeds[i - 1]! + 1) ? `${r.seeds[0]}..${r.seeds.at(-1)}` : r.seeds.join(", ");
  return `${experimentLabel({ id: experimentId, name: r.experiment })}/${r.profile} over ${r.seeds.length} seeds (${seeds}), ${r.backend.name}` + (elapsedMs !== undefined ? `, ${formatDuration(elapsedMs)}` : "");
}

/**
 * Runs `run … --seeds`: every (shard's) seed, then the judgement or the shard file.
 */
export async function runOverSeeds(
  // deno-lint-ignore no-explicit-any
  experiment: Experiment<any, any>,
  profile: Profile,
  what: { plan: SeedPlan; shard?: Shard; seeds: number[] },
  ctx: Pick<CommandContext<FlagSpecs>, "global" | "stdout" | "stderr" | "useBackend"> & {
    flags: { out?: string; strict: boolean; junit?: string; dataDir?: string; mnistDir?: string; seedRuns?: string };
  },
): Promise<number> {
  const { flags, global, stdout, stderr } = ctx;
  const { plan, shard, seeds } = what;
  const info = await ctx.useBackend();
  const base = global.seed === undefined ? " (from the experiment's default seed; change with --seed N)" : "";
  stderr.write(
    `${experimentLabel(experiment)}/${profile}: ${experiment.profiles[profile]}\n` +
      `${plan.description}${/from base/.test(plan.description) ? base : ""}; backend ${info.name}\n` +
      (shard ? `shard ${shard.index}/${shard.count} (from ${shard.source}): seeds ${seeds.join(", ")}\n` : "") +
      `${formatRule(seedRule())}\n`,
  );
  const fraction = seeds.map(() => 0);
  let bar: Progress | undefined;
  const t0 = performance.now();
  const run = await runSeeds(experiment, profile, plan.seeds, seeds, {
    ...(flags.seedRuns === "population" ? { population: true } : flags.seedRuns === "apart" ? { population: false } : {}),
    dataDir: flags.dataDir,
    mnistDir: flags.mnistDir,
    env: process.env,
    runsOn: backendHandle(info.name),
    onProgress(i, seed, p) {
      bar ??= createProgress({ label: `${experiment.id} ${profile} × ${seeds.length} seeds`, total: 1000 * seeds.length, stream: stderr });
      fraction[i] = p.total ? p.done / p.total : 0;
      bar.update(Math.floor(1000 * fraction.reduce((a, b) => a + b, 0)), `seed ${seed}: ${p.run}`);
    },
    onSeed(s, seconds) {
      bar?.done();
      bar = undefined;
      stderr.write(formatSeedLine(s, seconds) + "\n");
    },
  });
  bar?.done();
  const elapsed = performance.now() - t0;
  const provenance = { ...provenanceHere(elapsed, run.dirtyPaths), seedSeconds: run.seedSeconds, dataLocation: run.dataLocation, trainedBy: run.trainedBy };
  stderr.write(`trained: ${run.trainedBy}\n`);
  const toText = flags.out === "-" ? stderr : stdout;
  if (shard) {
    const file = seedsShardOf(run.identity, shard, run.definitions, run.perSeed, provenance);
    await writeOutput(flags.out!, seedsText(file), stdout);
    toText.write(`${experimentLabel(experiment)} shard ${shard.index}/${shard.count}: ${seeds.length} seeds in ${formatDuration(elapsed)}; combine the shards with \`gradlab merge SHARD... --out FILE\` for the verdicts\n`);
    if (flags.out !== "-") stderr.write(`wrote ${flags.out}\n`);
    return 0;
  }
  const result = seedsResultOf(run.identity, run.definitions, run.perSeed, provenance);
  return await finishSeedsResult(result, experiment.id, { ...flags, stdout, stderr }, elapsed);
}

/**
 * Writes a multi-seed result (--out), prints its table, writes --junit, and returns the exit
 * code (--strict: 1 when a claim is refuted). Shared by `run --seeds` and `merge`.
 */
export async function finishSeedsResult(
  result: SeedsResult,
  experimentId: string,
  opts: { out?: string; strict: boolean; junit?: string; stdout: Output; stderr: Output },
  elapsedMs?: number,
): Promise<number> {
  const { stdout, stderr } = opts;
  const title = seedsTitle(experimentId, result, elapsedMs);
  const toText = opts.out === "-" || opts.junit === "-" ? stderr : stdout;
  if (opts.out) await writeOutput(opts.out, seedsText(result), stdout);
  if (opts.junit) await writeOutput(opts.junit, seedsJUnit(result, `${experimentLabel({ id: experimentId, name: result.experiment })}/${result.profile}`), stdout);
  toText.write(formatSeedsResult(result, title) + "\n");
  for (const [flag, path] of [["--out", opts.out], ["--junit", opts.junit]] as const) if (path && path !== "-") stderr.write(`wrote ${path} (${flag})\n`);
  return opts.strict ? strictOutcome(result, stderr) : 0;
}
