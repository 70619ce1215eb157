/**
 * Running an experiment's training runs — in parallel workers, one per core, where tensors
 * live in host memory (cpu, wasm: one thread each), else one after the other — with one
 * progress count over all. Either way each run computes exactly what it computes alone.
 */
import { chosenBackend } from "../../backend/mod.ts";
import { batchCount, type TrainData, type TrainResult, train } from "../../core/mod.ts";
import { defaultWorkers, trainInWorkers } from "../../parallel/mod.ts";
import type { ExperimentProgress, RunContext } from "../experiment.ts";
import { kernelMeanAbs, kernelMeanAbsByEpoch } from "../measure.ts";
import type { RunRecord, RunSummary, TrainingRun } from "../result.ts";

/** Iterations a run will take on `rows` training rows. */
export function iterationsOf(run: TrainingRun, rows: number): number {
  return batchCount(rows, run.training.batchSize) * run.training.epochs;
}

/**
 * Trains every run on its data (`dataOf(run)`), in order, reporting progress over all runs.
 * `extraUnits` are units of work the caller reports itself after the runs (e.g. measurements).
 */
export async function trainRuns(
  runs: TrainingRun[],
  dataOf: (run: TrainingRun) => TrainData,
  ctx: RunContext,
  extraUnits = 0,
): Promise<RunRecord[]> {
  const total = runs.reduce((s, r) => s + iterationsOf(r, dataOf(r).train.rows), 0) + extraUnits;
  const backend = ctx.runsOn ?? chosenBackend();
  const workers = Math.min(runs.length, ctx.workers ?? (backend.hostMemory ? defaultWorkers() : 1));
  if (workers > 1) {
    const done = runs.map(() => 0);
    const results: TrainResult[] = await trainInWorkers(runs.map((run) => ({ model: run.model, config: run.training, data: dataOf(run) })), {
      backend,
      workers,
      onProgress: (i, p) => {
        done[i] = p.iteration + 1;
        ctx.onProgress?.({
          run: runs[i].name,
          runIndex: i + 1,
          runs: runs.length,
          total,
          done: done.reduce((a, b) => a + b, 0),
          epoch: p.epoch,
          epochs: p.epochs,
          loss: p.loss,
        });
      },
    });
    return runs.map((run, i) => ({ name: run.name, result: results[i] }));
  }
  let before = 0;
  const out: RunRecord[] = [];
  for (const [i, run] of runs.entries()) {
    const data = dataOf(run);
    const report = (p: Omit<ExperimentProgress, "run" | "runIndex" | "runs" | "total">) =>
      ctx.onProgress?.({ run: run.name, runIndex: i + 1, runs: runs.length, total, ...p });
    const result = await train(run.model, run.training, data, {
      backend,
      onProgress: (p) => report({ done: before + p.iteration + 1, epoch: p.epoch, epochs: p.epochs, loss: p.loss }),
    });
    before += result.iterations;
    out.push({ name: run.name, result });
  }
  return out;
}

/** Final metrics of a run. */
export function summarizeRun(record: RunRecord): RunSummary {
  const last = record.result.epochs[record.result.epochs.length - 1];
  const s: RunSummary = { name: record.name, iterations: record.result.iterations, finalLossMean: last?.lossMean ?? NaN };
  if (last?.trainAccuracy !== undefined) s.finalTrainAccuracy = last.trainAccuracy;
  if (last?.trainLoss !== undefined) s.finalTrainLoss = last.trainLoss;
  if (last?.testLoss !== undefined) s.finalTestLoss = last.testLoss;
  if (last?.testAccuracy !== undefined) s.finalTestAccuracy = last.testAccuracy;
  if (record.result.steps.length) {
    s.kernelMeanAbs = kernelMeanAbs(record.result);
    s.kernelMeanAbsByEpoch = kernelMeanAbsByEpoch(record.result);
  }
  return s;
}
