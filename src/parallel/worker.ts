/**
 * A training worker: activates the backend it is told, trains one job and posts the result
 * (and progress every 10 iterations). Started by `trainInWorkers`.
 */
import { chosenBackend, useBackend } from "../backend/mod.ts";
import { NonFiniteError, train } from "../core/mod.ts";
import type { JobMessage, WorkerMessage } from "./protocol.ts";

const post = (m: WorkerMessage) => (globalThis as unknown as { postMessage(m: WorkerMessage): void }).postMessage(m);

(globalThis as unknown as { onmessage: (e: { data: JobMessage }) => void }).onmessage = async (e) => {
  const job = e.data;
  try {
    await useBackend(job.backend);
    const result = await train(job.model, job.config, job.data, {
      backend: chosenBackend(),
      engine: job.engine,
      threads: job.threads,
      layout: job.layout,
      onProgress: (p) => {
        if (p.iteration % 10 === 9 || p.iteration === p.iterations - 1) post({ type: "progress", progress: p });
      },
    });
    post({ type: "result", result });
  } catch (error) {
    const err = error as Error;
    const extra = err instanceof NonFiniteError ? { iteration: err.iteration, epoch: err.epoch, tensor: err.tensor, location: err.location } : {};
    post({ type: "error", name: err.name, message: err.message, ...extra });
  }
};
