/**
 * Timing training steps: warm-up, then ≥ 200 measured steps, on synthetic batches shaped like
 * the workload's (values do not change the work a dense step does).
 */
import * as tf from "@tensorflow/tfjs-core";
import {
  autodiffEngine,
  createModel,
  type Dataset,
  disposeModel,
  fastDenseEngine,
  fastDenseUnsupported,
  fastEngineBatches,
  gatherBatch,
  type GemmHelper,
  Rng,
  startGemmHelper,
  threadsFor,
} from "../core/mod.ts";
import { naiveStep } from "./naive-step.ts";
import type { Workload } from "./workloads.ts";

export interface Timing {
  steps: number;
  minMs: number;
  medianMs: number;
  maxMs: number;
  meanMs: number;
}

/** min / median / max / mean of a list of durations. */
export function summarize(ms: number[]): Timing {
  const s = [...ms].sort((a, b) => a - b);
  return { steps: s.length, minMs: s[0], medianMs: s[s.length >> 1], maxMs: s[s.length - 1], meanMs: s.reduce((a, b) => a + b, 0) / s.length };
}

/** Ten batches of random data shaped like the workload's, in shared memory as loaded data sets are. */
export function syntheticBatches(w: Workload, seed: number): Dataset {
  const rng = new Rng(seed);
  const rows = w.train.batchSize * 10;
  const outputs = w.model.layers[w.model.layers.length - 1].units;
  const x = new Float32Array(new SharedArrayBuffer(rows * w.model.inputSize * 4));
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const y: Dataset["y"] = w.train.loss === "mse"
    ? { kind: "regression", values: new Float32Array(rows * outputs).map(() => rng.normal()), outputs }
    : { kind: "classes", labels: new Int32Array(rows).map(() => rng.int(outputs)), classes: outputs };
  return { x, rows, features: w.model.inputSize, y };
}

export type StepKind = "engine" | "naive";

/** The shortest warm-up, whatever the step count: the JIT's top tiers come in by time as well as by count. */
export const MIN_WARMUP_MS = 1500;

/**
 * Runs `step` for the warm-up (at least `warmup` steps and MIN_WARMUP_MS), then `steps` more,
 * pushing each measured step's milliseconds onto `times`. Returns the index of the first
 * measured step.
 */
async function repeat(options: { steps: number; warmup: number }, times: number[], step: (i: number) => Promise<unknown>): Promise<number> {
  const warmEnd = performance.now() + MIN_WARMUP_MS;
  let i = 0;
  for (; i < options.warmup || performance.now() < warmEnd; i++) await step(i);
  const first = i;
  for (let k = 0; k < options.steps; k++, i++) {
    const t0 = performance.now();
    await step(i);
    times.push(performance.now() - t0);
  }
  return first;
}

/**
 * Times `steps` training steps after `warmup` unmeasured ones. "engine" = what `train` uses
 * (fast-dense where it applies, else autodiff), optionally recording gradient statistics every
 * `recordEvery` steps as `train` does; "naive" = tf.variableGrads + tfjs optimizer.
 *
 * @example
 * const t = await timeSteps(workload, "engine", { steps: 200, warmup: 20, seed: 1 });
 */
export async function timeSteps(
  w: Workload,
  kind: StepKind,
  options: { steps: number; warmup: number; seed: number; recordEvery?: number; threads?: number },
): Promise<Timing & { engine: string; threads: number; products: string; statsMs?: number }> {
  // As `train` does: file-order batches come with Xᵀ (made once); shuffled ones are gathered
  // copies without it (here in an identity order: the values do not change the work).
  const synthetic = syntheticBatches(w, options.seed);
  // The data as `train` prepares it for the engine that runs (the others read only X).
  const { train: ds, kernel } = kind === "engine" && !fastDenseUnsupported(w.model)
    ? fastEngineBatches(synthetic, w.train)
    : { train: synthetic, kernel: null };
  const order = w.train.shuffle ? Int32Array.from({ length: ds.rows }, (_, i) => i) : null;
  const batches = Array.from({ length: 10 }, (_, i) => gatherBatch(ds, order, i * w.train.batchSize, w.train.batchSize));
  const model = createModel(w.model, new Rng(options.seed).fork("init"));
  const times: number[] = [];
  let engineName: string = kind;
  let threads = 1;
  let products = (): string => "tfjs ops";
  /** time spent in the recording's stats() during the measured steps */
  let statsMs: number | undefined;
  let helper: GemmHelper | null = null;
  try {
    if (kind === "naive") {
      const n = naiveStep(model, w.train);
      const tensors = batches.map((b) => ({
        x: tf.tensor2d(b.x, [b.rows, w.model.inputSize]),
        y: tf.tensor2d(b.targets, [b.rows, b.targetWidth]),
      }));
      await repeat(options, times, (i) => n.step(tensors[i % 10].x, tensors[i % 10].y));
      n.dispose();
      tf.dispose(tensors.flatMap((t) => [t.x, t.y]));
    } else {
      const fast = !fastDenseUnsupported(w.model);
      // As `train` does: a helper thread where the run may have 2 threads.
      threads = fast ? threadsFor(w.model, w.train, ds.rows, options.threads ?? 1) : 1;
      if (threads > 1) helper = await startGemmHelper();
      const engine = fast ? fastDenseEngine(model, w.train, { helper, ...(kernel ? { kernel } : {}) }) : autodiffEngine(model, w.train);
      engineName = engine.name;
      products = () => engine.products;
      const statsAt: [number, number][] = [];
      const first = await repeat(options, times, async (i) => {
        await engine.compute(batches[i % 10], { iteration: i, epoch: 1, batch: i % 10 });
        if (options.recordEvery && i % options.recordEvery === 0) {
          const t0 = performance.now();
          await engine.stats();
          statsAt.push([i, performance.now() - t0]);
        }
        engine.update();
      });
      engine.dispose();
      if (options.recordEvery) statsMs = statsAt.filter(([i]) => i >= first).reduce((a, [, ms]) => a + ms, 0);
    }
  } finally {
    disposeModel(model);
    helper?.dispose();
  }
  return { ...summarize(times), engine: engineName, threads, products: products(), ...(statsMs === undefined ? {} : { statsMs }) };
}
