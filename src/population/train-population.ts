/**
 * `trainPopulation`: M replicas of one architecture — different seeds, or different
 * hyper-parameters of the same shapes — trained together, each giving the TrainResult `train`
 * gives for its config.
 *
 * Two engines, chosen by where the backend keeps its tensors:
 *  - "workers" (cpu, wasm: tensors in host memory, one thread per tfjs instance): each replica
 *    is a `train` run in a parallel worker (src/parallel/), so its result is bitwise the
 *    single-model run of the same config — it IS that run, in another thread.
 *  - "batched" (webgpu, tensorflow, tensorflow-gpu): all replicas as stacked tensors, one
 *    batched step for all (batched-step.ts): on a GPU one model's step is bound by per-op
 *    dispatch and read-back, while products over [M, rows, n] scale with M. It runs on cpu too
 *    (`engine: "batched"`), where it reproduces the autodiff engine's bits (the tests check it).
 */
import type { Backend } from "../backend/mod.ts";
import {
  checkTrainInputs, formatBytes, memoryLimit, type ModelSpec, NonFiniteError, type TrainConfig, type TrainData, trainingMemory,
} from "../core/mod.ts";
import { trainInWorkersSettled } from "../parallel/mod.ts";
import { trainBatched } from "./_internals/batched-train.ts";
import { checkPopulationConfigs } from "./population-configs.ts";
import type { PopulationEngineName, PopulationProgress, PopulationResult, ReplicaOutcome } from "./replica-outcome.ts";

export interface PopulationOptions {
  /** the backend the replicas compute on, as the edge chose it (every worker activates its own instance) */
  backend: Backend;
  /**
   * "auto" (default): "workers" where the backend keeps tensors in host memory (cpu, wasm),
   * else "batched". Either can be forced ("batched" on cpu tests the GPU formulation anywhere).
   */
  engine?: "auto" | PopulationEngineName;
  /** workers at once on the "workers" engine (default: one per core) */
  workers?: number;
  /** model-steps done so far, after every batched step or every 10 steps of a worker */
  onProgress?: (p: PopulationProgress) => void;
}

/**
 * The engine `trainPopulation` uses on a backend.
 *
 * @example
 * populationEngine({ backend }); // "workers" on wasm, "batched" on webgpu
 */
export function populationEngine(options: Pick<PopulationOptions, "backend" | "engine">): PopulationEngineName {
  const wanted = options.engine ?? "auto";
  if (wanted !== "auto") return wanted;
  return options.backend.hostMemory ? "workers" : "batched";
}

/** One replica's training memory and what the backend holds: the batched engine holds every replica at once. */
function populationMemory(spec: ModelSpec, config: TrainConfig, backend: Backend): { one: number; limit: ReturnType<typeof memoryLimit> } {
  return { one: trainingMemory(spec, config).reduce((n, l) => n + l.bytes, 0), limit: memoryLimit(backend) };
}

/**
 * The most replicas of `spec` trained with `config` that the batched engine can hold at once on
 * `backend` (at least 1: one replica is what a single run needs).
 *
 * @example
 * replicasThatFit(e1Model, e1Config, chosenBackend()); // thousands on an H200
 */
export function replicasThatFit(spec: ModelSpec, config: TrainConfig, backend: Backend): number {
  const { one, limit } = populationMemory(spec, config, backend);
  return Math.max(1, Math.floor(limit.bytes / one));
}

/** The batched engine holds every replica at once: M times a model's training memory must fit. */
function checkPopulationFits(spec: ModelSpec, config: TrainConfig, replicas: number, backend: Backend): void {
  const { one, limit } = populationMemory(spec, config, backend);
  if (one * replicas <= limit.bytes) return;
  throw new Error(
    `trainPopulation: ${replicas} replicas do not fit in memory: each needs at least ${formatBytes(one)} to train with ${config.optimizer.name} ` +
      `(weights, gradients, optimizer slots, a batch of ${config.batchSize} rows' activations), ${formatBytes(one * replicas)} in all, ` +
      `but ${limit.what} holds ${formatBytes(limit.bytes)}; train fewer replicas at once`,
  );
}

/**
 * Trains one replica per config, all of `spec`, on `data`. The configs must agree on all but
 * the seed, the optimizer's hyper-parameters and the clipping thresholds (else an error names
 * the field and the replicas, before any work). Each replica's outcome is the TrainResult
 * `train(spec, config, data)` returns, or — where that run would stop on a NaN or ±Inf — the
 * NonFiniteError it would throw; the other replicas train on.
 *
 * @example
 * const { replicas } = await trainPopulation(e1Spec, [1, 2, 3].map((seed) => ({ ...e1Config, seed })), data, { backend });
 * for (const r of replicas) if (r.status === "trained") console.log(r.result.epochs.at(-1)?.testAccuracy);
 */
export async function trainPopulation(
  spec: ModelSpec,
  configs: readonly TrainConfig[],
  data: TrainData,
  options: PopulationOptions,
): Promise<PopulationResult> {
  const replicas = checkPopulationConfigs(configs);
  checkTrainInputs(spec, configs[0]!, data);
  const engine = populationEngine(options);
  if (engine === "batched") {
    checkPopulationFits(spec, configs[0]!, replicas, options.backend);
    return { engine, replicas: await trainBatched(spec, configs, data, options) };
  }
  const perReplica = configs.map(() => 0);
  const iterations = Math.ceil(data.train.rows / configs[0]!.batchSize) * configs[0]!.epochs;
  const settled = await trainInWorkersSettled(configs.map((config) => ({ model: spec, config, data })), {
    backend: options.backend,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    onProgress: (i, p) => {
      perReplica[i] = p.iteration + 1;
      options.onProgress?.({ done: perReplica.reduce((a, b) => a + b, 0), total: replicas * iterations });
    },
  });
  return {
    engine,
    replicas: settled.map((s): ReplicaOutcome => {
      if (s.status === "fulfilled") return { status: "trained", result: s.value };
      if (s.reason instanceof NonFiniteError) return { status: "stopped", error: s.reason };
      throw s.reason;
    }),
  };
}
