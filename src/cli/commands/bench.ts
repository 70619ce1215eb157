/** `gradlab bench`: how fast the training steps are on this machine and backend. */
import process from "node:process";
import { backendHandle } from "../../backend/mod.ts";
import { benchPopulation, benchWorkloads, formatBench, formatPopulationBench, runBench, SYNTHETIC_BATCHES } from "../../bench/mod.ts";
import { checkDataDirs } from "../../data/mod.ts";
import { writeOutput } from "../../output/mod.ts";
import { defineCommand } from "../command.ts";
import { flagName } from "../flags.ts";
import { UsageError } from "../usage-error.ts";

/** Warm-up steps before the measured ones: the JIT is still settling after 20 (docs/performance.md). */
const DEFAULT_WARMUP = 200;

export const benchCommand = defineCommand({
  name: "bench",
  summary: "time the E1/E3/E4 training steps (and the naive formulation) on the active backend",
  flags: {
    steps: { type: "integer", default: 200, description: "measured steps per workload (after warm-up)" },
    warmup: { type: "integer", description: `unmeasured warm-up steps (the JIT settles within ~200; a training run takes thousands) (default ${DEFAULT_WARMUP})` },
    threads: { type: "integer", description: "threads per step, 1 or 2 (default: 2 where there is a spare core; the helper applies to file-order batches on wasm)" },
    only: { type: "string", value: "REGEX", description: "only workloads whose name matches, e.g. 'E1'" },
    population: { type: "integer", value: "M", description: "instead: model-steps per second of M replicas of E1 trained by the population engine, against 2 on wasm with 2 workers (--steps per replica, a multiple of 10)" },
    fullE1: { type: "boolean", description: "also run the full E1 experiment and report its wall time and memory" },
    dataDir: { type: "string", value: "DIR", path: "directory", description: "Fashion-MNIST directory for --full-e1" },
    json: { type: "string", value: "FILE", path: "file", output: "stdout", description: "also write the report as JSON (- for standard output, the table then goes to stderr)" },
  },
  async run({ flags, stdout, stderr, useBackend, global }) {
    if (flags.steps < 1) throw new UsageError(`--steps: expected an integer ≥ 1, got ${flags.steps}`);
    if (flags.warmup !== undefined && flags.warmup < 0) throw new UsageError(`--warmup: expected an integer ≥ 0, got ${flags.warmup}`);
    if (flags.threads !== undefined && (flags.threads < 1 || flags.threads > 2)) throw new UsageError(`--threads: expected 1 or 2, got ${flags.threads}`);
    if (flags.only !== undefined) {
      let only: RegExp;
      try {
        only = new RegExp(flags.only);
      } catch (error) {
        throw new UsageError(`--only: expected a regular expression, got ${JSON.stringify(flags.only)} (${(error as Error).message})`);
      }
      const names = benchWorkloads().map((w) => w.name);
      if (!names.some((n) => only.test(n))) throw new UsageError(`--only: no workload matches ${JSON.stringify(flags.only)}; the workloads are ${names.join(", ")}`);
    }
    if (flags.population !== undefined) {
      if (flags.population < 1) throw new UsageError(`--population: expected an integer ≥ 1 (replicas), got ${flags.population}`);
      const batches = SYNTHETIC_BATCHES;
      if (flags.steps % batches !== 0 || flags.steps < 2 * batches) {
        throw new UsageError(`--steps: with --population, expected a multiple of ${batches}, at least ${2 * batches} (the synthetic set has ${batches} batches), got ${flags.steps}`);
      }
      // the population run warms up by one untimed epoch of its own and trains on synthetic data
      for (const other of ["only", "fullE1", "threads", "warmup", "dataDir"] as const) {
        if (flags[other] !== undefined && flags[other] !== false) throw new UsageError(`--population times the population engine only; ${flagName(other)} does not apply`);
      }
      const backend = backendHandle((await useBackend()).name);
      const report = await benchPopulation({ backend, replicas: flags.population, steps: flags.steps, seed: global.seed ?? 1, log: (line) => stderr.write(`gradlab: ${line}\n`) });
      (flags.json === "-" ? stderr : stdout).write(formatPopulationBench(report) + "\n");
      if (flags.json) await writeOutput(flags.json, JSON.stringify(report, null, 1) + "\n", stdout);
      return;
    }
    if (flags.dataDir !== undefined && !flags.fullE1) throw new UsageError("--data-dir: only --full-e1 reads Fashion-MNIST (the step workloads train on synthetic batches of its shape); add --full-e1 or leave it out");
    checkDataDirs({ dataDir: flags.dataDir, env: process.env });
    const backend = backendHandle((await useBackend()).name);
    const report = await runBench({
      backend,
      steps: flags.steps,
      warmup: flags.warmup ?? DEFAULT_WARMUP,
      seed: global.seed ?? 1,
      only: flags.only,
      fullE1: flags.fullE1,
      dataDir: flags.dataDir,
      threads: flags.threads,
      log: (line) => stderr.write(`gradlab: ${line}\n`),
    });
    (flags.json === "-" ? stderr : stdout).write(formatBench(report) + "\n");
    if (flags.json) await writeOutput(flags.json, JSON.stringify(report, null, 1) + "\n", stdout);
    if (process.env.CI && report.fullE1 === undefined) stderr.write("gradlab: (full E1 not run; add --full-e1)\n");
  },
});
