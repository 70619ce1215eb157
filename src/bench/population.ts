/**
 * `gradlab bench --population M`: model-steps per second of M replicas of E1's net (784→30⁴→10,
 * Adam, batch 256, gradient statistics every 100 steps: E1's full training config) trained by
 * the population engine on the active backend, against the same engine on wasm with 2 workers
 * training 2 replicas (this project's 2-core wasm run) in the same bench.
 */
import { type Backend, chosenBackend, useBackend } from "../backend/mod.ts";
import { workersAtOnce } from "../parallel/mod.ts";
import type { TrainConfig, TrainData } from "../core/mod.ts";
import { populationEngine, type PopulationEngineName, trainedResults, trainPopulation } from "../population/mod.ts";
import { SYNTHETIC_BATCHES, syntheticBatches } from "./time-steps.ts";
import { benchWorkloads } from "./workloads.ts";


export interface PopulationRun {
  backend: string;
  engine: PopulationEngineName;
  replicas: number;
  /** workers at once (the "workers" engine) */
  workers?: number;
  /** steps per replica */
  steps: number;
  /** wall time of the `steps` population, workers' start and the results' assembly included */
  seconds: number;
  /** replicas × steps ÷ seconds */
  modelStepsPerSecond: number;
  /**
   * replicas × (steps − 10) ÷ (seconds − the 10-step population's seconds): the rate past the
   * fixed costs; null when the longer run was not the slower (too few steps for the noise)
   */
  steadyModelStepsPerSecond: number | null;
}

export interface PopulationBenchReport {
  workload: string;
  /** the active backend's run */
  population: PopulationRun;
  /** wasm, 2 workers, 2 replicas */
  baseline: PopulationRun;
  /** population ÷ baseline, steady model-steps per second (null when either is) */
  ratio: number | null;
}

export interface PopulationBenchOptions {
  /** the backend the population trains on (active) */
  backend: Backend;
  replicas: number;
  /** steps per replica, a multiple of 10, at least 20 */
  steps: number;
  seed: number;
  log?: (line: string) => void;
}

/**
 * On the batched engine a warm-up population of one epoch (10 steps: compiles the GPU's shaders;
 * not timed; the workers engine starts fresh workers each time, so nothing would carry over),
 * then two timed whole: one epoch and `steps`. Their difference is the steady rate without the
 * fixed costs (workers' start, data transfer) that a long run amortizes.
 */
async function timePopulation(backend: Backend, replicas: number, steps: number, seed: number, workers?: number): Promise<PopulationRun> {
  const w = benchWorkloads().find((x) => x.name === "E1 relu")!;
  const data: TrainData = { train: syntheticBatches(w, seed), source: { name: "synthetic", location: "generated", sha256: "", description: "E1-shaped random batches" } };
  const options = workers === undefined ? { backend } : { backend, workers };
  const timed = async (epochs: number) => {
    const configs = Array.from({ length: replicas }, (_, k): TrainConfig => ({ ...w.train, seed: seed + k, epochs, shuffle: false }));
    const started = performance.now();
    const population = await trainPopulation(w.model, configs, data, options);
    const seconds = (performance.now() - started) / 1000;
    trainedResults(population);
    return { seconds, engine: population.engine };
  };
  if (populationEngine({ backend }) === "batched") await timed(1);
  const short = await timed(1);
  const long = await timed(steps / SYNTHETIC_BATCHES);
  const run: PopulationRun = {
    backend: backend.name,
    engine: long.engine,
    replicas,
    steps,
    seconds: long.seconds,
    modelStepsPerSecond: (replicas * steps) / long.seconds,
    steadyModelStepsPerSecond: long.seconds > short.seconds ? (replicas * (steps - SYNTHETIC_BATCHES)) / (long.seconds - short.seconds) : null,
  };
  if (long.engine === "workers") run.workers = workersAtOnce(replicas, workers);
  return run;
}

/**
 * @example
 * await useBackend("webgpu");
 * const report = await benchPopulation({ backend: chosenBackend(), replicas: 64, steps: 200, seed: 1 });
 */
export async function benchPopulation(options: PopulationBenchOptions): Promise<PopulationBenchReport> {
  if (!Number.isInteger(options.replicas) || options.replicas < 1) throw new Error(`population bench: replicas must be an integer ≥ 1, got ${options.replicas}`);
  if (!Number.isInteger(options.steps) || options.steps < 2 * SYNTHETIC_BATCHES || options.steps % SYNTHETIC_BATCHES !== 0) {
    throw new Error(`population bench: steps must be a multiple of ${SYNTHETIC_BATCHES}, at least ${2 * SYNTHETIC_BATCHES}, got ${options.steps}`);
  }
  const log = options.log ?? (() => {});
  const backend = options.backend;
  log(`population: ${options.replicas} replicas of E1 relu × ${options.steps} steps on ${backend.name}…`);
  const population = await timePopulation(backend, options.replicas, options.steps, options.seed);
  log(`baseline: 2 replicas × ${options.steps} steps on wasm, 2 workers…`);
  await useBackend("wasm");
  let baseline: PopulationRun;
  try {
    baseline = await timePopulation(chosenBackend(), 2, options.steps, options.seed, 2);
  } finally {
    await useBackend(backend.name);
  }
  return { workload: "E1 relu", population, baseline, ratio: population.steadyModelStepsPerSecond && baseline.steadyModelStepsPerSecond
      ? population.steadyModelStepsPerSecond / baseline.steadyModelStepsPerSecond
      : null };
}

/**
 * @example
 * console.log(formatPopulationBench(report));
 */
export function formatPopulationBench(r: PopulationBenchReport): string {
  const line = (label: string, p: PopulationRun) =>
    `${label.padEnd(11)}${p.backend.padEnd(8)}${(p.engine + (p.workers ? ` (${p.workers} at once)` : "")).padEnd(22)}${String(p.replicas).padStart(8)}` +
    `${String(p.steps).padStart(7)}${p.seconds.toFixed(2).padStart(10)}${p.modelStepsPerSecond.toFixed(1).padStart(16)}` +
    (p.steadyModelStepsPerSecond === null
      ? `${"-".padStart(16)}${"-".padStart(15)}`
      : `${p.steadyModelStepsPerSecond.toFixed(1).padStart(16)}${(1000 / p.steadyModelStepsPerSecond).toFixed(3).padStart(15)}`);
  return [
    `${r.workload}'s net and training config (Adam, batch 256, gradient statistics every 100 steps) on synthetic batches. Each run is timed whole; ` +
    `"steady" is its rate past the fixed costs (workers' start): (steps − ${SYNTHETIC_BATCHES}) more steps over the time they added to a ${SYNTHETIC_BATCHES}-step run; on a GPU both after an untimed warm-up run (shaders compiled)`,
    `${"".padEnd(11)}${"backend".padEnd(8)}${"engine".padEnd(22)}${"replicas".padStart(8)}${"steps".padStart(7)}${"seconds".padStart(10)}${"model-steps/s".padStart(16)}${"steady".padStart(16)}${"ms/model-step".padStart(15)}`,
    line("population", r.population),
    line("baseline", r.baseline),
    r.ratio === null
      ? `population ÷ baseline: not measured: a longer run took no longer than its ${SYNTHETIC_BATCHES}-step run (too few --steps for this machine's noise)`
      : `population ÷ baseline: ${r.ratio.toFixed(2)}× the steady model-steps per second of the 2-core wasm run (the issue's target on a GPU: ≥ 5×)`,
  ].join("\n");
}
