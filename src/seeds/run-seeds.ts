/**
 * Running an experiment once per seed. On cpu and wasm each seed's runs go to the parallel
 * workers (src/parallel, via the experiment) as they do for one seed; where an experiment has
 * fewer training runs than there are cores, several seeds run at once so every core has a
 * run. A run computes exactly what it computes alone (src/parallel), so the summaries do not
 * depend on how many seeds ran together, nor on which process ran them. Where tensors live on
 * a device (webgpu, tfjs-node) every seed's training run j trains in one population instead
 * (seed-population.ts): one batched step for all seeds.
 */
import { availableCores, chosenBackend, environment } from "../backend/mod.ts";
import {
  type Experiment, type ExperimentConfig, type ExperimentProgress, type Profile, type ResultBase, runExperiment, type RunContext, seedDependentData,
  trainRunsOf,
} from "../experiments/mod.ts";
import { gitState } from "../golden/mod.ts";
import type { PopulationEngineName } from "../population/mod.ts";
import { seedPopulation } from "./seed-population.ts";
import { claimDefinitionsOf, checkSameClaims, seedRule, seedSummaryOf } from "./judge.ts";
import type { ClaimDefinition, SeedsIdentity, SeedSummary } from "./seeds-schema.ts";

/** What running the seeds gives: the run's identity, its claims, and one summary per seed (in seed order). */
export interface SeedsRun {
  identity: SeedsIdentity;
  definitions: ClaimDefinition[];
  perSeed: SeedSummary[];
  /** wall time of each seed */
  seedSeconds: { seed: number; seconds: number }[];
  /** where the data was read (not part of the identity) */
  dataLocation: string;
  /** how the training runs were trained: one run per seed, or populations of the seeds */
  trainedBy: string;
  /** the work tree's uncommitted changes when the run ended (git status), for the provenance */
  dirtyPaths: string[];
}

export interface RunSeedsOptions extends Omit<RunContext, "onProgress"> {
  /** progress of the seed at `index` in the seeds being run */
  onProgress?: (index: number, seed: number, p: ExperimentProgress) => void;
  /** called as each seed finishes, with its summary */
  onSeed?: (summary: SeedSummary, seconds: number) => void;
  /** seeds run at once (default: enough that their training runs fill the cores on cpu/wasm; else 1); not with a population */
  seedsAtOnce?: number;
  /**
   * Train each run of all the seeds as one population (src/population): true with the engine
   * the backend calls for, or the engine to use. Default: where tensors are not in host memory
   * (webgpu, tfjs-node: the batched engine), else one run per seed in workers, as alone.
   */
  population?: boolean | PopulationEngineName;
  /** the most replicas in one population (default: as many as fit the backend's memory) */
  maxReplicas?: number;
}

/**
 * How many seeds to run at once and how many workers each gets, on the active backend:
 * the cores shared out so that seeds × runs at once ≈ cores, never more.
 *
 * @example
 * seedConcurrency(2, 8, 2); // { seedsAtOnce: 1, workersPerSeed: 2 } (E1 here)
 */
export function seedConcurrency(runs: number, seeds: number, cores: number, hostMemory = true): { seedsAtOnce: number; workersPerSeed: number } {
  if (!hostMemory) return { seedsAtOnce: 1, workersPerSeed: 1 };
  const workersPerSeed = Math.max(1, Math.min(runs, cores));
  return { seedsAtOnce: Math.max(1, Math.min(seeds, Math.floor(cores / workersPerSeed))), workersPerSeed };
}

function dataWithoutLocation(data: ResultBase["data"]): SeedsIdentity["data"] {
  const { location: _, ...source } = data.source;
  return { ...data, source };
}

/**
 * Runs `experiment`'s profile once for each of `seeds` (a shard's, or all of `allSeeds`) on
 * the active backend. `allSeeds` is the whole run's seed list: its first seed names the
 * config stored in the identity. Throws when seeds disagree on their data or claims.
 *
 * @example
 * await useBackend("wasm");
 * const run = await runSeeds(fashionSigmoidVsRelu, "quick", [0, 1, 2], [0, 1, 2]);
 */
export async function runSeeds(
  // deno-lint-ignore no-explicit-any
  experiment: Experiment<any, any>,
  profile: Profile,
  allSeeds: readonly number[],
  seeds: readonly number[],
  opts: RunSeedsOptions = {},
): Promise<SeedsRun> {
  const config = experiment.config(profile, allSeeds[0]!);
  const varies = seedDependentData(config as unknown as ExperimentConfig);
  if (varies) throw new Error(`${experiment.name}: cannot be judged over seeds: its data would differ between seeds (${varies}); the seeds of a run share their data`);
  const backend = opts.runsOn ?? chosenBackend();
  const trainRuns = trainRunsOf(config as unknown as ExperimentConfig).length;
  const trains = trainRuns > 0;
  // Workers and populations are for training runs; measurements run on this thread, so an
  // experiment without training runs runs its seeds one after another.
  const { seedsAtOnce, workersPerSeed } = trains
    ? seedConcurrency(trainRuns, seeds.length, availableCores(), backend.hostMemory)
    : { seedsAtOnce: 1, workersPerSeed: 1 };
  const wanted = trains && (opts.population ?? !backend.hostMemory);
  const gathering = wanted === false ? undefined : seedPopulation(seeds.length, { backend, engine: wanted === true ? "auto" : wanted, maxReplicas: opts.maxReplicas });
  // one copy of the data for all seeds (it must not depend on the seed: refused above, and each seed's data record compared below)
  const dataCache = opts.dataCache ?? new Map<string, unknown>();
  const perSeed: SeedSummary[] = new Array(seeds.length);
  const seconds: number[] = new Array(seeds.length);
  // Only the first finished seed's data record and claims are kept; every other seed must agree with them.
  let first: { data: ResultBase["data"]; definitions: ClaimDefinition[] } | undefined;
  let next = 0;
  const lane = async () => {
    while (next < seeds.length) {
      const i = next++;
      const seed = seeds[i]!;
      const t0 = performance.now();
      let result: ResultBase;
      try {
        result = await runExperiment(experiment, profile, {
          ...opts,
          seed,
          dataCache,
          workers: opts.workers ?? workersPerSeed,
          ...(gathering ? { trainRuns: gathering.trainRunsFor(i) } : {}),
          onProgress: (p) => opts.onProgress?.(i, seed, p),
        });
      } finally {
        gathering?.ended(i);
      }
      seconds[i] = Math.round((performance.now() - t0) / 100) / 10;
      first ??= { data: result.data, definitions: claimDefinitionsOf(result) };
      const a = JSON.stringify(dataWithoutLocation(first.data)), b = JSON.stringify(dataWithoutLocation(result.data));
      if (a !== b) throw new Error(`seed ${seed} used different data from another seed (${b} vs ${a}); an experiment's data must not depend on its seed`);
      perSeed[i] = seedSummaryOf(result);
      checkSameClaims(first.definitions, perSeed[i]!);
      opts.onSeed?.(perSeed[i]!, seconds[i]!);
    }
  };
  // a population gathers every seed at once: each waits for the others at its training runs
  const lanes = gathering ? seeds.length : trains ? Math.min(opts.seedsAtOnce ?? seedsAtOnce, seeds.length) : 1;
  await Promise.all(Array.from({ length: lanes }, lane));
  const { data, definitions } = first!;
  const env = environment();
  const git = gitState();
  return {
    identity: {
      experiment: experiment.name,
      profile,
      seeds: [...allSeeds],
      rule: seedRule(),
      config: config as unknown as Record<string, unknown>,
      data: dataWithoutLocation(data),
      backend: { name: env.backend, device: env.device, tfjsVersion: env.tfjsVersion },
      code: { commit: git.commit },
    },
    definitions,
    perSeed,
    seedSeconds: seeds.map((seed, i) => ({ seed, seconds: seconds[i]! })),
    dataLocation: data.source.location,
    // what happened: an experiment that trains without RunContext.trainRuns hands nothing in
    trainedBy: gathering && gathering.largest > 0
      ? `population engine (${gathering.engine}): each training run of the ${seeds.length} seeds as one population` +
        (gathering.split ? `, split into populations of at most ${gathering.largest} replicas` : "")
      : trains
      ? "one training run per seed, as alone"
      : "no training runs (measurements only), one seed after another",
    dirtyPaths: git.dirtyPaths,
  };
}
