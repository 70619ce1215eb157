/**
 * Independent training runs in parallel, one Web Worker per run (at most `workers` at a
 * time), each on its own tfjs instance with the same backend. The wasm backend runs one
 * thread under Bun and Deno (tfjs turns its threads off when it sees Node APIs), so this is
 * how gradlab uses more than one core; every run computes exactly what it computes alone.
 */
import { availableCores, type Backend, collectGarbage, hasWebWorkers, startWorker } from "../backend/mod.ts";
import { type BatchLayout, type ModelSpec, NonFiniteError, sharedBatchLayout, type TrainConfig, type TrainData, type TrainProgress, type TrainResult } from "../core/mod.ts";
import type { JobMessage, WorkerMessage } from "./protocol.ts";
import { sharedTrainData } from "./shared-data.ts";

export { sharedTrainData } from "./shared-data.ts";

export interface TrainJob {
  model: ModelSpec;
  config: TrainConfig;
  data: TrainData;
}

export interface ParallelOptions {
  /** the backend every worker activates (its own tfjs instance of it) */
  backend: Backend;
  /** how many runs at once (default: the number of CPU cores, at most the number of jobs) */
  workers?: number;
  engine?: JobMessage["engine"];
  /** progress of job `index` */
  onProgress?: (index: number, p: TrainProgress) => void;
}

/** Default parallelism: one run per core (one at a time where the runtime has no Web Workers: Node). */
export function defaultWorkers(): number {
  return hasWebWorkers() ? availableCores() : 1;
}


function runInWorker(job: JobMessage, onProgress: (p: TrainProgress) => void): Promise<TrainResult> {
  return new Promise((resolve, reject) => {
    const worker = startWorker<JobMessage, WorkerMessage>(new URL("./worker.ts", import.meta.url).href);
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.type === "progress") return onProgress(m.progress);
      worker.terminate();
      if (m.type === "result") return resolve(m.result);
      reject(
        m.name === "NonFiniteError"
          ? new NonFiniteError(m.message, m.iteration ?? -1, m.epoch ?? -1, m.tensor ?? null, m.location)
          : Object.assign(new Error(m.message), { name: m.name }),
      );
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(`training worker failed: ${e.message}`));
    };
    worker.postMessage(job);
  });
}

/**
 * Trains every job, `workers` at a time, on the active backend; results come back in job order.
 * The first job that fails rejects the whole (no further job starts).
 *
 * @example
 * const [sigmoid, relu] = await trainInWorkers([{ model: a, config, data }, { model: b, config, data }], { backend });
 */
export async function trainInWorkers(jobs: TrainJob[], options: ParallelOptions): Promise<TrainResult[]> {
  return (await runJobs(jobs, options, false)).map((o) => (o as PromiseFulfilledResult<TrainResult>).value);
}

/**
 * Like `trainInWorkers`, but every job runs to its end whatever the others do, and each comes
 * back settled (as Promise.allSettled has it): its result, or the error `train` threw for it
 * (a NonFiniteError keeps its location).
 *
 * @example
 * const outcomes = await trainInWorkersSettled(jobs, { backend }); // [{ status: "fulfilled", value }, { status: "rejected", reason }]
 */
export function trainInWorkersSettled(jobs: TrainJob[], options: ParallelOptions): Promise<PromiseSettledResult<TrainResult>[]> {
  return runJobs(jobs, options, true);
}

/**
 * How many of `jobs` runs train at once: `workers` (default one per core), at most one per job.
 *
 * @example
 * workersAtOnce(8, 2); // 2
 */
export function workersAtOnce(jobs: number, workers: number = defaultWorkers()): number {
  return Math.max(1, Math.min(workers, jobs));
}

async function runJobs(jobs: TrainJob[], options: ParallelOptions, settle: boolean): Promise<PromiseSettledResult<TrainResult>[]> {
  const backend = options.backend.name;
  const limit = workersAtOnce(jobs.length, options.workers);
  // A run may take a helper thread only where the runs at once leave a core for it.
  const threads = 2 * limit <= availableCores() ? "auto" : 1;
  // Share each distinct data set once, however many jobs use it; the fast engine's batch
  // layout for file-order runs is made here, once per data set and batch size, rather than
  // in every worker.
  const sharedOf = new Map<TrainData, { data: TrainData; layouts: Map<number, BatchLayout | null> }>();
  const fast = options.engine !== "autodiff" && options.backend.hostMemory;
  const messages = jobs.map((j): JobMessage => {
    let shared = sharedOf.get(j.data);
    if (!shared) sharedOf.set(j.data, shared = { data: sharedTrainData(j.data), layouts: new Map() });
    const key = j.config.shuffle ? 0 : j.config.batchSize;
    let layout = shared.layouts.get(key);
    if (layout === undefined) shared.layouts.set(key, layout = fast ? sharedBatchLayout(shared.data.train, j.config) : null);
    return { backend, model: j.model, config: j.config, data: shared.data, layout, engine: options.engine ?? "auto", threads };
  });
  // Whatever the caller dropped while preparing the data (raw pixels, say) goes before workers add theirs.
  collectGarbage();
  const outcomes: PromiseSettledResult<TrainResult>[] = new Array(jobs.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (next < messages.length && !failed) {
      const i = next++;
      try {
        outcomes[i] = { status: "fulfilled", value: await runInWorker(messages[i], (p) => options.onProgress?.(i, p)) };
      } catch (reason) {
        if (!settle) {
          failed = true;
          throw reason;
        }
        outcomes[i] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return outcomes;
}
