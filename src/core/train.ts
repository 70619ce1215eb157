/**
 * The training loop: batches → loss and gradients → checks → recording → clipping → update.
 * Deterministic: the same config, seed, backend and runtime give a bitwise-identical result.
 */
import { collectGarbage } from "../backend/mod.ts";
import { batchCount } from "./batches.ts";
import { checkDataset, type TrainData } from "./dataset.ts";
import type { EngineName, PreparedEngine } from "./engine.ts";
import { evaluate } from "./evaluate.ts";
import { isClassification } from "./losses.ts";
import { checkTrainingFits } from "./memory-check.ts";
import { createModel, disposeModel, type Model, readParameters } from "./model.ts";
import type { ModelSpec } from "./model-spec.ts";
import { chooseEngine, type EngineOptions, prepareEngine } from "./prepare-engine.ts";
import { Rng } from "./random.ts";
import type { TrainConfig } from "./train-config.ts";
import type { EpochMetrics, Snapshot, StepRecord, TrainResult } from "./train-result.ts";


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
 * files), and how to run it: on which backend (chosen at the edge) and with which engine.
 * Each hook gets the same objects the result collects.
 *
 * @example
 * await train(spec, config, data, { backend, onEpoch: (e) => console.log(e) });
 */
export interface TrainOptions extends EngineOptions {
  /** once, before the first step */
  onStart?: (s: TrainStart) => void;
  onProgress?: (p: TrainProgress) => void;
  /** each recorded step (every `record.every` iterations), before the update */
  onStep?: (s: StepRecord) => void;
  onEpoch?: (m: EpochMetrics) => void;
}

async function valuesOfParameters(model: Model): Promise<number[][]> {
  return Object.values(await readParameters(model)).map((v) => Array.from(v));
}

/**
 * `train`'s checks of the data against the spec and the loss, before anything is allocated:
 * each set well formed, the features the model's input size, the targets the last layer's
 * width, the loss fit for the targets' kind.
 *
 * @example
 * checkTrainInputs(spec, config, data); // throws "model inputSize is 784 but the training set has 4 features"
 */
export function checkTrainInputs(spec: ModelSpec, config: Pick<TrainConfig, "loss">, data: TrainData): void {
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
}

/**
 * Trains a model from its spec and returns everything the config asked to record.
 *
 * @example
 * const result = await train(denseStack(2, [4, 1], { name: "tanh" }, { name: "torchDefault" }), config, data, { backend: chosenBackend() });
 */
export async function train(spec: ModelSpec, config: TrainConfig, data: TrainData, options: TrainOptions): Promise<TrainResult> {
  checkTrainInputs(spec, config, data);
  checkTrainingFits(spec, config, options.backend);

  const rng = new Rng(config.seed);
  const shuffleRng = rng.fork("shuffle");
  const engineName = chooseEngine(options);
  const { every } = config.record;
  const perEpoch = batchCount(data.train.rows, config.batchSize);
  const total = perEpoch * config.epochs;
  const epochs: EpochMetrics[] = [];
  const steps: StepRecord[] = [];
  const snapshots: Snapshot[] = [];
  let iteration = 0;
  // Everything started from here on is freed in `finally`: a helper thread left running after
  // an error would keep the process alive forever.
  let model: Model | null = null;
  let prepared: PreparedEngine | null = null;
  let names: string[] = [], shapes: number[][] = [];
  try {
    model = createModel(spec, rng.fork("init"));
    names = model.parameters.map((p) => p.name);
    shapes = model.parameters.map((p) => [...p.variable.shape]);
    prepared = await prepareEngine(model, config, data.train, options);
    const { engine } = prepared;
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
        const { loss, hits } = await engine.compute(prepared.batch(order, start, rows), { iteration, epoch, batch: b });
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
    prepared?.dispose();
    if (model) disposeModel(model);
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
