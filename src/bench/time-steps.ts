/**
 * Timing training steps: warm-up, then ≥ 200 measured steps, on synthetic batches shaped like
 * the workload's (values do not change the work a dense step does).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Backend } from "../backend/mod.ts";
import { createModel, type Dataset, disposeModel, gatherBatch, type PreparedEngine, prepareEngine, Rng } from "../core/mod.ts";
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

/** How many batches `syntheticBatches` holds: a run over it is an epoch every this many steps. */
export const SYNTHETIC_BATCHES = 10;

/** Ten batches of random data shaped like the workload's, in shared memory as loaded data sets are. */
export function syntheticBatches(w: Workload, seed: number): Dataset {
  const rng = new Rng(seed);
  const rows = w.train.batchSize * SYNTHETIC_BATCHES;
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
 * (`prepareEngine`: fast-dense where it applies, else autodiff, with its batches), optionally
 * recording gradient statistics every `recordEvery` steps as `train` does; "naive" =
 * tf.variableGrads + tfjs optimizer.
 *
 * @example
 * const t = await timeSteps(workload, "engine", { backend, steps: 200, warmup: 20, seed: 1 });
 */
export async function timeSteps(
  w: Workload,
  kind: StepKind,
  options: { backend: Backend; steps: number; warmup: number; seed: number; recordEvery?: number; threads?: number },
): Promise<Timing & { engine: string; threads: number; products: string; statsMs?: number }> {
  const ds = syntheticBatches(w, options.seed);
  // Shuffled batches are gathered copies (here in an identity order: the values do not change the work).
  const order = w.train.shuffle ? Int32Array.from({ length: ds.rows }, (_, i) => i) : null;
  const model = createModel(w.model, new Rng(options.seed).fork("init"));
  const times: number[] = [];
  let engineName: string = kind;
  let threads = 1;
  let products = (): string => "tfjs ops";
  /** time spent in the recording's stats() during the measured steps */
  let statsMs: number | undefined;
  let prepared: PreparedEngine | null = null;
  try {
    if (kind === "naive") {
      const n = naiveStep(model, w.train);
      const batches = Array.from({ length: 10 }, (_, i) => gatherBatch(ds, order, i * w.train.batchSize, w.train.batchSize));
      const tensors = batches.map((b) => ({
        x: tf.tensor2d(b.x, [b.rows, w.model.inputSize]),
        y: tf.tensor2d(b.targets, [b.rows, b.targetWidth]),
      }));
      await repeat(options, times, (i) => n.step(tensors[i % 10].x, tensors[i % 10].y));
      n.dispose();
      tf.dispose(tensors.flatMap((t) => [t.x, t.y]));
    } else {
      prepared = await prepareEngine(model, w.train, ds, { backend: options.backend, threads: options.threads ?? 1 });
      const { engine } = prepared;
      const batches = Array.from({ length: 10 }, (_, i) => prepared!.batch(order, i * w.train.batchSize, w.train.batchSize));
      threads = prepared.threads;
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
      if (options.recordEvery) statsMs = statsAt.filter(([i]) => i >= first).reduce((a, [, ms]) => a + ms, 0);
    }
  } finally {
    prepared?.dispose();
    disposeModel(model);
  }
  return { ...summarize(times), engine: engineName, threads, products: products(), ...(statsMs === undefined ? {} : { statsMs }) };
}
