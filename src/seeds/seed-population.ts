/**
 * Runs over seeds on the population engine (src/population). Every seed's experiment runs at
 * once up to its training runs, which it hands in here (`RunContext.trainRuns`) instead of
 * training them. Once every seed still running has handed its runs in, run j of all seeds
 * trains as one population — on a GPU one batched step for all the replicas, where one
 * model's step is bound by dispatch and read-back — and each seed gets its records back and
 * goes on to its measurements. The replicas differ only in their seed, which a population
 * allows; a replica that stops on a NaN or ±Inf fails its seed, as `train` would.
 */
import type { Backend } from "../backend/mod.ts";
import { batchCount, type TrainData } from "../core/mod.ts";
import type { RunContext, RunRecord, TrainingRun, TrainRunsHook } from "../experiments/mod.ts";
import { populationEngine, type PopulationEngineName, replicasThatFit, type ReplicaOutcome, trainPopulation } from "../population/mod.ts";

/** One seed's training runs, handed in and waiting for the population. */
interface HandedIn {
  seat: number;
  runs: TrainingRun[];
  data: TrainData[];
  ctx: RunContext;
  extraUnits: number;
  resolve: (records: RunRecord[]) => void;
  reject: (error: unknown) => void;
}

/** A gathering of the seeds of one run over seeds. */
export interface SeedPopulation {
  /** the engine the populations train on */
  engine: PopulationEngineName;
  /** the hook seed `seat` (its index among the seeds) trains through */
  trainRunsFor(seat: number): TrainRunsHook;
  /** seed `seat`'s experiment ended, by success or failure: the gathering no longer waits for it */
  ended(seat: number): void;
  /** replicas per population so far (the largest; 0 while nothing trained), for the record */
  largest: number;
  /** whether some training run's seeds were split into several populations (memory, or maxReplicas) */
  split: boolean;
}

export interface SeedPopulationOptions {
  backend: Backend;
  /** "auto" (default): batched where tensors are not in host memory (webgpu, tfjs-node), else workers */
  engine?: "auto" | PopulationEngineName;
  /** the most replicas in one population (default: as many as fit the backend's memory on the batched engine, else all) */
  maxReplicas?: number;
}

/**
 * A gathering for `seats` seeds. Each seed trains through `trainRunsFor(i)` and calls
 * `ended(i)` when its experiment is done, whatever happened; a round of training starts as
 * soon as every seed still running has handed its runs in.
 *
 * @example
 * const gathering = seedPopulation(seeds.length, { backend });
 * await Promise.all(seeds.map((seed, i) =>
 *   runExperiment(experiment, profile, { seed, trainRuns: gathering.trainRunsFor(i) }).finally(() => gathering.ended(i))));
 */
export function seedPopulation(seats: number, options: SeedPopulationOptions): SeedPopulation {
  const engine = populationEngine(options);
  const state: ("running" | "handed" | "ended")[] = Array.from({ length: seats }, () => "running");
  let handed: HandedIn[] = [];
  const gathering: SeedPopulation = {
    engine,
    largest: 0,
    split: false,
    trainRunsFor: (seat) => (runs, dataOf, ctx, extraUnits) =>
      new Promise<RunRecord[]>((resolve, reject) => {
        if (state[seat] !== "running") throw new Error(`seedPopulation: seat ${seat} handed in while ${state[seat]}`);
        state[seat] = "handed";
        handed.push({ seat, runs, data: runs.map(dataOf), ctx, extraUnits, resolve, reject });
        startWhenGathered();
      }),
    ended(seat) {
      state[seat] = "ended";
      startWhenGathered();
    },
  };
  function startWhenGathered(): void {
    if (handed.length === 0 || state.some((s) => s === "running")) return;
    const round = handed;
    handed = [];
    trainRound(round, options, engine, (part, all) => {
      gathering.largest = Math.max(gathering.largest, part);
      gathering.split ||= part < all;
    }).then(
      (outcomes) => {
        // back to running before any seed resumes, so a later hand-in waits for the others again
        for (const h of round) state[h.seat] = "running";
        round.forEach((h, i) => (outcomes[i]!.status === "trained" ? h.resolve(outcomes[i]!.records) : h.reject(outcomes[i]!.error)));
      },
      (error) => {
        for (const h of round) state[h.seat] = "running";
        for (const h of round) h.reject(error);
      },
    );
  }
  return gathering;
}

type SeedOutcome = { status: "trained"; records: RunRecord[] } | { status: "stopped"; error: unknown };

/** Why two seeds' training runs cannot be one population, or null. */
function mismatch(a: HandedIn, b: HandedIn): string | null {
  if (a.runs.length !== b.runs.length) return `${a.runs.length} training runs against ${b.runs.length}`;
  for (const [j, run] of a.runs.entries()) {
    const other = b.runs[j]!;
    if (run.name !== other.name) return `run ${j + 1} is ${run.name} against ${other.name}`;
    if (JSON.stringify(run.model) !== JSON.stringify(other.model)) return `run ${run.name}'s model differs`;
    if (a.data[j] !== b.data[j]) return `run ${run.name} trains on other data (an experiment's data must not depend on its seed)`;
  }
  return null;
}

/** Trains run j of every handed-in seed as populations (split where they do not fit at once); each seed's outcome. */
async function trainRound(
  round: HandedIn[],
  options: SeedPopulationOptions,
  engine: PopulationEngineName,
  sized: (replicas: number, of: number) => void,
): Promise<SeedOutcome[]> {
  const { backend } = options;
  const first = round[0]!;
  for (const h of round.slice(1)) {
    const why = mismatch(first, h);
    if (why) throw new Error(`run over seeds: seat ${h.seat}'s training runs cannot join seat ${first.seat}'s population: ${why}`);
  }
  const runs = first.runs;
  const iterations = runs.map((run, j) => batchCount(first.data[j]!.train.rows, run.training.batchSize) * run.training.epochs);
  const total = iterations.reduce((a, b) => a + b, 0) + first.extraUnits;
  const records: RunRecord[][] = round.map(() => []);
  const failed: (unknown | undefined)[] = round.map(() => undefined);
  let before = 0;
  for (const [j, run] of runs.entries()) {
    const configs = round.map((h) => h.runs[j]!.training);
    const size = Math.min(options.maxReplicas ?? Infinity, engine === "batched" ? replicasThatFit(run.model, configs[0]!, backend) : configs.length);
    for (let start = 0; start < configs.length; start += size) {
      const part = configs.slice(start, start + size);
      sized(part.length, configs.length);
      const population = await trainPopulation(run.model, part, first.data[j]!, {
        backend,
        engine,
        onProgress: (p) => {
          const done = before + Math.floor((iterations[j]! * (start + (p.done / p.total) * part.length)) / configs.length);
          for (const h of round) h.ctx.onProgress?.({ run: run.name, runIndex: j + 1, runs: runs.length, total, done });
        },
      });
      population.replicas.forEach((outcome: ReplicaOutcome, k) => {
        const i = start + k;
        if (outcome.status === "trained") records[i]!.push({ name: run.name, result: outcome.result });
        else failed[i] ??= outcome.error;
      });
    }
    before += iterations[j]!;
  }
  return round.map((_, i) => (failed[i] === undefined ? { status: "trained", records: records[i]! } : { status: "stopped", error: failed[i] }));
}
