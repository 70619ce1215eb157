/**
 * The batched population loop: `train`'s loop (src/core/train.ts) over M stacked replicas,
 * with the read-backs gathered. Per step nothing is read: the step's losses and correct counts
 * stay on the backend ([2, M] per step) and the non-finite probe updates a device tensor.
 * Read back, one transfer each: at a recording step (its statistics, the step's loss, the
 * first-bad iterations, gradient values when asked), at an epoch's end (every step's losses and
 * counts, the evaluations, the first-bad iterations) and for snapshots when asked. Each
 * replica's numbers then go into a TrainResult exactly as `train` builds it (losses summed in
 * float64 on the host, in step order; accuracy as an exact fraction).
 */
import * as tf from "@tensorflow/tfjs-core";
import {
  autodiffEngine, batchCount, createModel, type Dataset, disposeModel, type EpochMetrics, EVAL_CHUNK, gatherBatch,
  gradientStatsFromRow, isClassification, type ModelSpec, NonFiniteError, Rng, type Snapshot, type StepRecord,
  type TrainConfig, type TrainData, type TrainResult,
} from "../../core/mod.ts";
import type { PopulationProgress, ReplicaOutcome } from "../replica-outcome.ts";
import { batchedStep, type BatchedStep, type PlantedFault, type StackedBatch } from "./batched-step.ts";
import { readTogether } from "./read-back.ts";
import { createStackedModel, disposeStackedModel, parameterViews, replicaHits, replicaLosses, stackedForward, type StackedModel } from "./stacked-model.ts";

/** The rows each replica trains on in one epoch: one order for all (file order: null) or one per replica. */
type EpochOrders = { shared: Int32Array | null } | { perReplica: Int32Array[] };

/** The training set on the backend, for gathering a different batch per replica. */
interface ResidentSet {
  x: tf.Tensor2D;
  /** one-hot rows or regression targets */
  targets: tf.Tensor2D;
  labels: tf.Tensor1D | null;
}

function residentSet(ds: Dataset): ResidentSet {
  const x = tf.tensor2d(ds.x, [ds.rows, ds.features]);
  if (ds.y.kind === "regression") return { x, labels: null, targets: tf.tensor2d(ds.y.values, [ds.rows, ds.y.outputs]) };
  const { classes } = ds.y;
  const labels = tf.tensor1d(ds.y.labels, "int32");
  return { x, labels, targets: tf.tidy(() => tf.cast(tf.oneHot(labels, classes), "float32") as tf.Tensor2D) };
}

/** Rows [start, start + rows) of the epoch's order(s) as a stacked batch on the backend. */
function stackedBatch(ds: Dataset, resident: ResidentSet | null, orders: EpochOrders, start: number, rows: number): StackedBatch {
  if ("shared" in orders) {
    const b = gatherBatch(ds, orders.shared, start, rows);
    return {
      x: tf.tensor3d(b.x, [1, rows, ds.features]),
      targets: tf.tensor3d(b.targets, [1, rows, b.targetWidth]),
      labels: b.labels ? tf.tensor2d(b.labels, [1, rows], "int32") : null,
    };
  }
  const M = orders.perReplica.length;
  const index = new Int32Array(M * rows);
  orders.perReplica.forEach((order, k) => index.set(order.subarray(start, start + rows), k * rows));
  const idx = tf.tensor1d(index, "int32");
  const gathered = (t: tf.Tensor) => tf.tidy(() => tf.reshape(tf.gather(t, idx), [M, rows, ...t.shape.slice(1)]));
  const batch: StackedBatch = {
    x: gathered(resident!.x) as tf.Tensor3D,
    targets: gathered(resident!.targets) as tf.Tensor3D,
    labels: resident!.labels ? (gathered(resident!.labels) as tf.Tensor2D) : null,
  };
  idx.dispose();
  return batch;
}

function disposeBatch(b: StackedBatch): void {
  tf.dispose([b.x, b.targets, ...(b.labels ? [b.labels] : [])]);
}

/** A data set evaluated every epoch, on the backend in chunks of EVAL_CHUNK rows: uploaded once per run, not once per epoch. */
type EvaluationSet = { rows: number; x: tf.Tensor3D; targets: tf.Tensor3D; labels: tf.Tensor2D | null }[];

function evaluationSet(ds: Dataset): EvaluationSet {
  const chunks: EvaluationSet = [];
  for (let start = 0; start < ds.rows; start += EVAL_CHUNK) {
    const rows = Math.min(EVAL_CHUNK, ds.rows - start);
    const b = gatherBatch(ds, null, start, rows);
    chunks.push({
      rows,
      x: tf.tensor3d(b.x, [1, rows, ds.features]),
      targets: tf.tensor3d(b.targets, [1, rows, b.targetWidth]),
      labels: b.labels ? tf.tensor2d(b.labels, [1, rows], "int32") : null,
    });
  }
  return chunks;
}

function disposeEvaluationSet(set: EvaluationSet | null): void {
  for (const c of set ?? []) tf.dispose([c.x, c.targets, ...(c.labels ? [c.labels] : [])]);
}

/**
 * Per chunk, [2, M]: each replica's loss × rows and correct count in inference mode
 * (evaluate.ts's `evaluate`), left on the backend.
 */
function evaluationTensors(model: StackedModel, set: EvaluationSet, loss: TrainConfig["loss"]): tf.Tensor2D[] {
  return set.map((c) =>
    tf.tidy(() => {
      const { output } = stackedForward(model, parameterViews(model, model.flat), c.x, "infer");
      const l = tf.mul(replicaLosses(loss, output, c.targets), c.rows);
      const hits = c.labels ? replicaHits(output, c.labels) : tf.zeros([l.size]);
      return tf.stack([l, hits]) as tf.Tensor2D;
    })
  );
}

/** Loss and accuracy of replica k from the read-back evaluation chunks. */
function evaluationOf(chunks: Float32Array[], k: number, M: number, rows: number, classification: boolean): { loss: number; accuracy?: number } {
  let lossSum = 0, correct = 0;
  for (const c of chunks) {
    lossSum += c[k]!;
    correct += c[M + k]!;
  }
  const out: { loss: number; accuracy?: number } = { loss: lossSum / rows };
  if (classification) out.accuracy = correct / rows;
  return out;
}

/** Each replica's parameters, from a read-back [M, N] flat tensor, as number[][] in parameter order. */
function weightsOf(flat: Float32Array, model: StackedModel, k: number): number[][] {
  const row = k * model.size;
  return model.parameters.map((p) => Array.from(flat.subarray(row + p.offset, row + p.offset + p.size)));
}

/**
 * Where replica k stopped, as `train` says it: its parameters are frozen as they were before
 * the bad iteration, so the core's own autodiff engine recomputes that step for it alone and
 * throws train's NonFiniteError. Should the one-replica recomputation stay finite, the error
 * says why the population stopped it: a non-finite parameter (which `train` would carry on
 * with: isolated-product.ts), else the batched products' rounding (on a GPU).
 */
async function stopOf(
  spec: ModelSpec, config: TrainConfig, model: StackedModel, k: number, ds: Dataset, order: Int32Array | null,
  where: { iteration: number; epoch: number; batch: number },
): Promise<NonFiniteError> {
  const replica = createModel(spec, new Rng(0));
  const row = (await readTogether([tf.slice(model.flat, [k, 0], [1, model.size])]))[0]!;
  tf.tidy(() => replica.parameters.forEach((p, j) => {
    const at = model.parameters[j]!;
    p.variable.assign(tf.tensor(row.subarray(at.offset, at.offset + at.size), at.shape));
  }));
  const engine = autodiffEngine(replica, config);
  try {
    const start = where.batch * config.batchSize;
    await engine.compute(gatherBatch(ds, order, start, Math.min(config.batchSize, ds.rows - start)), where);
    const bad = model.parameters.find((p) => row.subarray(p.offset, p.offset + p.size).some((v) => !Number.isFinite(v)));
    return new NonFiniteError(
      bad
        ? `non-finite parameter ${bad.name} at iteration ${where.iteration} (epoch ${where.epoch}, batch ${where.batch}): the population stops ` +
          `a replica whose weights hold NaN or ±Inf (its products would reach the other replicas' on a GPU), although this step's loss and ` +
          `gradients stay finite and train() would go on`
        : `non-finite loss or gradient at iteration ${where.iteration} (epoch ${where.epoch}, batch ${where.batch}) in the population's batched ` +
          `step; the same step recomputed for this replica alone stayed finite, so the tensor is not known`,
      where.iteration, where.epoch, bad ? bad.name : null,
    );
  } catch (error) {
    if (error instanceof NonFiniteError) return error;
    throw error;
  } finally {
    engine.dispose();
    disposeModel(replica);
  }
}

/**
 * Trains every replica at once on the active backend.
 *
 * @example
 * const outcomes = await trainBatched(spec, configs, data, {});
 */
export async function trainBatched(
  spec: ModelSpec,
  configs: readonly TrainConfig[],
  data: TrainData,
  options: { onProgress?: (p: PopulationProgress) => void },
  /** for tests only */
  fault: PlantedFault = {},
): Promise<ReplicaOutcome[]> {
  const M = configs.length;
  const config = configs[0]!;
  const ds = data.train;
  const perEpoch = batchCount(ds.rows, config.batchSize);
  const total = perEpoch * config.epochs;
  const classification = isClassification(config.loss);
  const { every } = config.record;
  const clipped = config.clipping.name !== "none";
  // One batch order for all replicas where they would all draw the same one.
  const sharedOrder = !config.shuffle || configs.every((c) => c.seed === config.seed);
  const shuffleRngs = configs.map((c) => new Rng(c.seed).fork("shuffle"));
  const results = configs.map(() => ({ epochs: [] as EpochMetrics[], steps: [] as StepRecord[], snapshots: [] as Snapshot[] }));
  const stopped: (NonFiniteError | null)[] = configs.map(() => null);
  const running = (k: number) => stopped[k] === null;

  let model: StackedModel | null = null;
  let engine: BatchedStep | null = null;
  let resident: ResidentSet | null = null;
  let testSet: EvaluationSet | null = null, trainSet: EvaluationSet | null = null;
  const pending: tf.Tensor[] = [];
  let iteration = 0;
  try {
    model = createStackedModel(spec, configs.map((c) => c.seed));
    engine = batchedStep(model, configs, fault);
    resident = sharedOrder ? null : residentSet(ds);
    testSet = data.test ? evaluationSet(data.test) : null;
    trainSet = config.evaluateTrainSet ? evaluationSet(ds) : null;
    const names = model.parameters.map((p) => p.name);
    const shapes = model.parameters.map((p) => [...p.shape]);
    if (config.record.initialValues) {
      const [flat] = await readTogether([model.flat]);
      results.forEach((r, k) => r.snapshots.push({ epoch: 0, weights: weightsOf(flat!, model!, k) }));
    }

    /** Marks the replicas that went non-finite since the last look (firstBad ≥ 0) as stopped, saying where. */
    const stopNewlyBad = async (firstBad: Float32Array, epoch: number, epochStart: number, orders: EpochOrders) => {
      for (let k = 0; k < M; k++) {
        if (!running(k) || firstBad[k]! < 0) continue;
        const at = firstBad[k]!;
        const order = "shared" in orders ? orders.shared : orders.perReplica[k]!;
        stopped[k] = await stopOf(spec, configs[k]!, model!, k, ds, order, { iteration: at, epoch, batch: at - epochStart });
      }
    };

    for (let epoch = 1; epoch <= config.epochs && configs.some((_, k) => running(k)); epoch++) {
      const orders: EpochOrders = !config.shuffle
        ? { shared: null }
        : sharedOrder
        ? { shared: shuffleRngs[0]!.permutation(ds.rows) }
        : { perReplica: shuffleRngs.map((r) => r.permutation(ds.rows)) };
      const epochStart = iteration;
      const lastGradients: (number[][] | undefined)[] = configs.map(() => undefined);
      for (let b = 0; b < perEpoch; b++) {
        const start = b * config.batchSize;
        const rows = Math.min(config.batchSize, ds.rows - start);
        const batch = stackedBatch(ds, resident, orders, start, rows);
        try {
          const lossAndHits = engine.compute(batch, iteration);
          pending.push(lossAndHits);
          const recording = every > 0 && iteration % every === 0;
          const lastWanted = config.record.epochEndValues && b === perEpoch - 1;
          if (recording || lastWanted) {
            const wanted = [lossAndHits, engine.firstBad(), ...(recording ? [engine.statistics()] : [])];
            const withValues = (recording && config.record.gradientValues) || lastWanted;
            const read = await readTogether(withValues ? [...wanted, engine.gradients()] : wanted);
            if (recording) wanted[2]!.dispose();
            const [step, firstBad, stats] = read;
            const values = withValues ? read[read.length - 1]! : null;
            const perReplicaValues = (k: number) => weightsOf(values!, model!, k);
            for (let k = 0; k < M; k++) {
              if (!running(k) || firstBad![k]! >= 0) continue;
              if (recording) {
                const width = stats!.length / M;
                const record: StepRecord = {
                  iteration,
                  epoch,
                  loss: step![k]!,
                  ...gradientStatsFromRow(stats!.subarray(k * width, (k + 1) * width), model.parameters.length, clipped),
                };
                if (config.record.gradientValues) record.values = perReplicaValues(k);
                results[k]!.steps.push(record);
              }
              if (lastWanted) lastGradients[k] = perReplicaValues(k);
            }
            await stopNewlyBad(firstBad!, epoch, epochStart, orders);
          }
          engine.update();
        } finally {
          disposeBatch(batch);
        }
        options.onProgress?.({ done: M * (iteration + 1), total: M * total });
        iteration++;
      }

      // The epoch's end: every step's losses and counts, the evaluations and the probe, in one read.
      const steps = tf.stack(pending);
      tf.dispose(pending.splice(0));
      const testChunks = testSet ? evaluationTensors(model, testSet, config.loss) : [];
      const trainChunks = trainSet ? evaluationTensors(model, trainSet, config.loss) : [];
      const read = await readTogether([steps, engine.firstBad(), ...trainChunks, ...testChunks]);
      tf.dispose([steps, ...trainChunks, ...testChunks]);
      const [stepValues, firstBad] = read;
      const trainEval = read.slice(2, 2 + trainChunks.length);
      const testEval = read.slice(2 + trainChunks.length);
      await stopNewlyBad(firstBad!, epoch, epochStart, orders);
      const weights = config.record.epochEndValues ? (await readTogether([model.flat]))[0]! : null;
      for (let k = 0; k < M; k++) {
        if (!running(k)) continue;
        let lossSum = 0, correct = 0;
        for (let s = 0; s < perEpoch; s++) {
          lossSum += stepValues![s * 2 * M + k]!;
          correct += stepValues![s * 2 * M + M + k]!;
        }
        const m: EpochMetrics = { epoch, lossSum, lossMean: lossSum / perEpoch };
        if (classification) m.trainAccuracy = correct / ds.rows;
        if (config.evaluateTrainSet) {
          const ev = evaluationOf(trainEval, k, M, ds.rows, classification);
          m.trainLoss = ev.loss;
          if (ev.accuracy !== undefined) m.trainEvalAccuracy = ev.accuracy;
        }
        if (data.test) {
          const ev = evaluationOf(testEval, k, M, data.test.rows, classification);
          m.testLoss = ev.loss;
          if (ev.accuracy !== undefined) m.testAccuracy = ev.accuracy;
        }
        results[k]!.epochs.push(m);
        if (weights) {
          const snap: Snapshot = { epoch, weights: weightsOf(weights, model, k) };
          if (lastGradients[k]) snap.gradients = lastGradients[k];
          results[k]!.snapshots.push(snap);
        }
      }
    }
    return configs.map((_, k): ReplicaOutcome => {
      if (!running(k)) return { status: "stopped", error: stopped[k]! };
      const result: TrainResult = {
        engine: "autodiff",
        parameterNames: names,
        parameterShapes: shapes,
        iterations: total,
        iterationsPerEpoch: perEpoch,
        ...results[k]!,
      };
      return { status: "trained", result };
    });
  } finally {
    tf.dispose(pending);
    engine?.dispose();
    if (model) disposeStackedModel(model);
    if (resident) tf.dispose([resident.x, resident.targets, ...(resident.labels ? [resident.labels] : [])]);
    disposeEvaluationSet(testSet);
    disposeEvaluationSet(trainSet);
  }
}
