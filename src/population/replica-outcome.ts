/**
 * What a population run gives back, per replica: the TrainResult `train` returns for that
 * config, or — where `train` would have thrown NonFiniteError — that very error (iteration,
 * epoch, tensor and, where known, the location as data), while the other replicas go on.
 */
import type { NonFiniteError, TrainResult } from "../core/mod.ts";

/**
 * One replica's end. A stopped replica has no partial result, as a single `train` run that
 * throws has none: its error says where it stopped, as `train`'s would.
 */
export type ReplicaOutcome =
  | { status: "trained"; result: TrainResult }
  | { status: "stopped"; error: NonFiniteError };

/**
 * How the population was trained: "batched" = all replicas at once as stacked tensors on the
 * backend (the GPU path); "workers" = each replica a `train` run in a parallel worker (cpu, wasm).
 */
export type PopulationEngineName = "batched" | "workers";

export interface PopulationResult {
  engine: PopulationEngineName;
  /** in the order of the configs */
  replicas: ReplicaOutcome[];
}

/** Progress in model-steps: `done` of `total` (replicas × iterations). */
export interface PopulationProgress {
  done: number;
  total: number;
}

/**
 * The results of a population whose replicas all trained, else an error naming each stopped
 * replica and where it stopped.
 *
 * @example
 * const [a, b] = trainedResults(await trainPopulation(spec, [c1, c2], data, { backend }));
 */
export function trainedResults(population: PopulationResult): TrainResult[] {
  const stopped = population.replicas.flatMap((r, i) => (r.status === "stopped" ? [`replica ${i}: ${r.error.message}`] : []));
  if (stopped.length > 0) throw new Error(`${stopped.length} of ${population.replicas.length} replicas stopped:\n  ${stopped.join("\n  ")}`);
  return population.replicas.map((r) => (r as { result: TrainResult }).result);
}
