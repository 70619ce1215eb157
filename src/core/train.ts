/**
 * The training loop: batches → loss and gradients → checks → recording → clipping → update.
 * Deterministic: the same config, seed, backend and runtime give a bitwise-identical result.
 */
import { availableCores, collectGarbage, matMulIsWasmGemm } from "../backend/mod.ts";
import { batchCount, gatherBatch, withTransposedBatches } from "./batches.ts";
import { autodiffEngine, type StepFunction } from "./autodiff-engine.ts";
import { checkDataset, type Dataset, type TrainData } from "./dataset.ts";
import type { Engine, EngineName } from "./engine.ts";
import { evaluate } from "./evaluate.ts";
import { fastDenseEngine, fastDenseUnsupported } from "./fast/dense-engine.ts";
import { createGemmKernel, type GemmKernel } from "./fast/kernels/gemm.ts";
import { type GemmHelper, startGemmHelper } from "./fast/kernels/gemm-helper.ts";
import { isClassification } from "./losses.ts";
import { checkTrainingFits } from "./memory-check.ts";
import { createModel, disposeModel, type Model, readParameters } from "./model.ts";
import type { ModelSpec } from "./model-spec.ts";
import { Rng } from "./random.ts";
import type { TrainConfig } from "./train-config.ts";
import type { EpochMetrics, Snapshot, StepRecord, TrainResult } from "./train-result.ts";

export type { StepFunction } from "./autodiff-engine.ts";

/** Progress reported after every iteration. */
export interface TrainProgress {
  epoch: number;
  epochs: number;
  iteration: number;
  iterations: number;
  loss: number;
}

/** What a run is about to record, known once its model exists (before the first step). */
export interface TrainStart {
  engine: EngineName;
  parameterNames: string[];
  parameterShapes: number[][];
  iterationsPerEpoch: number;
  /** iterations planned: epochs × iterationsPerEpoch */
  iterations: number;
}

/**
 * Hooks into a run, called as it goes (a run log streams from them: the core writes no
 * files). Each gets the same objects the result collects.
 *
 * @example
 * await train(spec, config, data, { onEpoch: (e) => console.log(e) });
 */
export interface TrainOptions {
  /** once, before the first step */
  onStart?: (s: TrainStart) => void;
  onProgress?: (p: TrainProgress) => void;
  /** each recorded step (every `record.every` iterations), before the update */
  onStep?: (s: StepRecord) => void;
  onEpoch?: (m: EpochMetrics) => void;
  /**
   * "auto" (default): the fast-dense engine where it applies (dense nets without batch norm on
   * cpu/wasm), else autodiff. "autodiff" forces the reference engine.
   */
  engine?: "auto" | EngineName;
  /** Replaces autodiff's loss-and-gradients function (tests plant faults with it); implies the autodiff engine. */
  step?: StepFunction;
  /**
   * Threads for one run, at most 2: 2 lets the fast engine split its first layer's products
   * with a helper thread (wasm backend, file-order batches only; elsewhere 1); results are
   * bitwise the same as with 1.
   * "auto" (default): 2 where the backend is wasm, the machine has a spare core and the run is
   * long enough to repay starting the helper (about half a second); else 1.
   */
  threads?: number | "auto";
}

/** First-layer work (multiply-adds of X·W₁ and Xᵀ·C₁ over the whole run) above which "auto" starts a helper: ~5 s of one core. */
const HELPER_MIN_MACS = 2.5e10;

/** The threads a run gets (see TrainOptions.threads). */
export function threadsFor(spec: ModelSpec, config: TrainConfig, rows: number, threads: number | "auto" = "auto"): number {
  // The helper runs the gemm kernel, which the fast engine uses where it gives the backend's
  // own bits (wasm), on file-order batches (where Xᵀ comes ready).
  if (!matMulIsWasmGemm() || config.shuffle) return 1;
  if (threads !== "auto") return Math.min(2, Math.max(1, Math.floor(threads)));
  if (availableCores() < 2) return 1;
  const macs = 2 * rows * config.epochs * spec.inputSize * spec.layers[0].units;
  return macs >= HELPER_MIN_MACS ? 2 : 1;
}

/**
 * The training set as the fast engine reads it, and the gemm kernel to give it: file-order
 * batches come transposed too (for the first layer's gradient), and where the kernel runs
 * (wasm) they go into its memory, where its products read them in place (unless the set has
 * them already: a parallel run makes them once for all its workers).
 *
 * @example
 * const { train, kernel } = fastEngineBatches(data.train, config);
 */
export function fastEngineBatches(train: Dataset, config: TrainConfig): { train: Dataset; kernel: GemmKernel | null } {
  if (config.shuffle) return { train, kernel: null };
  const kernel = matMulIsWasmGemm() && train.transposedBatches?.batchSize !== config.batchSize ? createGemmKernel() : null;
  return { train: withTransposedBatches(train, config.batchSize, kernel ? (n) => kernel.alloc(n) : undefined), kernel };
}

/** The engine `train` would use for this spec and options on the active backend. */
export function chooseEngine(spec: ModelSpec, options: Pick<TrainOptions, "engine" | "step"> = {}): EngineName {
  const wanted = options.step ? "autodiff" : options.engine ?? "auto";
  if (wanted === "autodiff") return "autodiff";
  const why = fastDenseUnsupported(spec);
  if (wanted === "fast-dense" && why) throw new Error(`engine fast-dense: ${why}`);
  return why ? "autodiff" : "fast-dense";
}

function createEngine(name: EngineName, model: Model, config: TrainConfig, step: StepFunction | undefined, helper: GemmHelper | null, kernel: GemmKernel | null): Engine {
  return name === "fast-dense" ? fastDenseEngine(model, config, { helper, ...(kernel ? { kernel } : {}) }) : autodiffEngine(model, config, step);
}

async function valuesOfParameters(model: Model): Promise<number[][]> {
  return Object.values(await readParameters(model)).map((v) => Array.from(v));
}

/**
 * Trains a model from its spec and returns everything the config asked to record.
 *
 * @example
 * const result = await train(denseStack(2, [4, 1], { name: "tanh" }, { name: "torchDefault" }), config, data);
 */
export async function train(spec: ModelSpec, config: TrainConfig, data: TrainData, options: TrainOptions = {}): Promise<TrainResult> {
  checkDataset(data.train, "training set");
  if (data.test) checkDataset(data.test, "test set");
  if (data.train.features !== spec.inputSize) {
    throw new Error(`model inputSize is ${spec.inputSize} but the training set has ${data.train.features} features`);
  }
  const outputs = spec.layers[spec.layers.length - 1].units;
  const width = data.train.y.kind === "classes" ? data.train.y.classes : data.train.y.outputs;
  if (outputs !== width) throw new Error(`the last layer has ${outputs} units but the targets have width ${width}`);
  if (isClassification(config.loss) !== (data.train.y.kind === "classes")) {
    throw new Error(`loss ${config.loss} does not fit ${data.train.y.kind} targets`);
  }

  checkTrainingFits(spec, config);

  const rng = new Rng(config.seed);
  const shuffleRng = rng.fork("shuffle");
  const engineName = chooseEngine(spec, options);
  let kernel: GemmKernel | null = null;
  if (engineName === "fast-dense") {
    const prepared = fastEngineBatches(data.train, config);
    data = { ...data, train: prepared.train };
    kernel = prepared.kernel;
  }
  const { every } = config.record;
  const perEpoch = batchCount(data.train.rows, config.batchSize);
  const total = perEpoch * config.epochs;
  const epochs: EpochMetrics[] = [];
  const steps: StepRecord[] = [];
  const snapshots: Snapshot[] = [];
  let iteration = 0;
  // Everything started from here on is stopped in `finally`: a helper thread left running
  // after an error (say, creating the model) would keep the process alive forever.
  let helper: GemmHelper | null = null;
  let model: Model | null = null;
  let engine: Engine | null = null;
  let names: string[] = [], shapes: number[][] = [];
  try {
    if (engineName === "fast-dense" && threadsFor(spec, config, data.train.rows, options.threads) >= 2) {
      helper = await startGemmHelper().catch((error) => {
        // Asked for: say why not. Chosen by "auto": the run goes on with one thread, the same bits.
        if (options.threads !== undefined && options.threads !== "auto") throw error;
        return null;
      });
    }
    model = createModel(spec, rng.fork("init"));
    names = model.parameters.map((p) => p.name);
    shapes = model.parameters.map((p) => [...p.variable.shape]);
    engine = createEngine(engineName, model, config, options.step, helper, kernel);
    if (config.record.initialValues) snapshots.push({ epoch: 0, weights: await valuesOfParameters(model) });
    options.onStart?.({ engine: engineName, parameterNames: names, parameterShapes: shapes, iterationsPerEpoch: perEpoch, iterations: total });
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const order = config.shuffle ? shuffleRng.permutation(data.train.rows) : null;
      let lossSum = 0;
      let correct = 0;
      let lastGradients: number[][] | undefined;
      for (let b = 0; b < perEpoch; b++) {
        const start = b * config.batchSize;
        const rows = Math.min(config.batchSize, data.train.rows - start);
        const { loss, hits } = await engine.compute(gatherBatch(data.train, order, start, rows), { iteration, epoch, batch: b });
        lossSum += loss;
        correct += hits;
        if (every > 0 && iteration % every === 0) {
          const record: StepRecord = { iteration, epoch, loss, ...(await engine.stats()) };
          if (config.record.gradientValues) record.values = await engine.gradientValues();
          steps.push(record);
          options.onStep?.(record);
        }
        if (config.record.epochEndValues && b === perEpoch - 1) lastGradients = await engine.gradientValues();
        engine.update();
        options.onProgress?.({ epoch, epochs: config.epochs, iteration, iterations: total, loss });
        iteration++;
      }

      const m: EpochMetrics = { epoch, lossSum, lossMean: lossSum / perEpoch };
      if (isClassification(config.loss)) m.trainAccuracy = correct / data.train.rows;
      if (config.evaluateTrainSet) {
        const ev = await evaluate(model, data.train, config.loss);
        m.trainLoss = ev.loss;
        if (ev.accuracy !== undefined) m.trainEvalAccuracy = ev.accuracy;
      }
      if (data.test) {
        const ev = await evaluate(model, data.test, config.loss);
        m.testLoss = ev.loss;
        if (ev.accuracy !== undefined) m.testAccuracy = ev.accuracy;
      }
      epochs.push(m);
      collectGarbage();
      options.onEpoch?.(m);
      if (config.record.epochEndValues) {
        const snap: Snapshot = { epoch, weights: await valuesOfParameters(model) };
        if (lastGradients) snap.gradients = lastGradients;
        snapshots.push(snap);
      }
    }
  } finally {
    engine?.dispose();
    if (model) disposeModel(model);
    helper?.dispose();
  }
  return {
    engine: engineName,
    parameterNames: names,
    parameterShapes: shapes,
    iterations: iteration,
    iterationsPerEpoch: perEpoch,
    epochs,
    steps,
    snapshots,
  };
}
