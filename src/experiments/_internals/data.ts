/** Cutting and describing data for experiments. */
import process from "node:process";
import type { Dataset, TrainData } from "../../core/mod.ts";
import { firstRows, loadMnist, loadMnistIdx } from "../../data/mod.ts";
import type { RunContext } from "../experiment.ts";
import type { DataRecord } from "../result.ts";

/** Class labels as one-hot regression targets (for an MSE loss on classes, as seed 002 does). */
export function oneHotTargets(ds: Dataset): Dataset {
  if (ds.y.kind !== "classes") throw new Error("oneHotTargets: the data set has no class labels");
  const { labels, classes } = ds.y;
  const values = new Float32Array(ds.rows * classes);
  for (let i = 0; i < ds.rows; i++) values[i * classes + labels[i]] = 1;
  return { ...ds, y: { kind: "regression", values, outputs: classes } };
}

/** Row cuts of a profile: undefined = every row. */
export interface RowCut {
  trainRows?: number;
  testRows?: number;
}

/** Train and test cut to their first rows. */
export function cut(data: TrainData, rows: RowCut): TrainData {
  const out: TrainData = { train: firstRows(data.train, rows.trainRows), source: data.source };
  if (data.test) out.test = firstRows(data.test, rows.testRows);
  return out;
}

/** The data record of a result. `full` says whether every row of the full data set was used. */
export function dataRecord(data: TrainData, full: boolean, preprocessing: string, statistics?: Record<string, number>): DataRecord {
  const r: DataRecord = {
    source: { ...data.source },
    full,
    trainRows: data.train.rows,
    testRows: data.test?.rows ?? 0,
    features: data.train.features,
    preprocessing,
  };
  if (statistics) r.statistics = statistics;
  return r;
}

/**
 * MNIST: the full IDX files when a directory is given (ctx.mnistDir or GRADLAB_MNIST_DIR),
 * else the `mnist` package's 10,000 digits (8,000/2,000). Pixels in [0, 1] either way.
 * `full` is true when every row of the source was kept.
 */
export function loadMnistFor(ctx: RunContext): TrainData {
  const dir = ctx.mnistDir ?? (ctx.env ?? process.env).GRADLAB_MNIST_DIR;
  return dir ? loadMnistIdx(dir) : loadMnist();
}
