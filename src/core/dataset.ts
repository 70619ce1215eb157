/**
 * The in-memory data set the training core consumes: plain typed arrays, row-major.
 * Loaders (src/data) produce it; the core never reads files.
 */

/** Where a data set came from, recorded in every result. */
export interface DataSource {
  /** e.g. "fashion-mnist", "fashion-mnist-embedded", "mnist-package", "synthetic-regression" */
  name: string;
  /** directory, file or package the data was read from, or "generated" */
  location: string;
  /** sha256 (hex) over the raw input files in a stated order, or of the generator's parameters */
  sha256: string;
  /** one line for people: what it is, how many rows, how it was cut or made */
  description: string;
}

/** Classification targets (class indices) or regression targets (rows × outputs). */
export type Targets =
  | { kind: "classes"; labels: Int32Array; classes: number }
  | { kind: "regression"; values: Float32Array; outputs: number };

/** A set of examples: `x` holds `rows × features` float32 values, row-major. */
export interface Dataset {
  x: Float32Array;
  rows: number;
  features: number;
  y: Targets;
}

/**
 * Train and (optional) test split handed to `train`.
 *
 * @example
 * const data: TrainData = { train: { x, rows: 1000, features: 784, y }, source: { name: "mine", location: "generated" } };
 */
export interface TrainData {
  train: Dataset;
  test?: Dataset;
  source: DataSource;
}

/** Throws a clear error when a data set's arrays do not match its declared sizes. */
export function checkDataset(ds: Dataset, where: string): void {
  if (ds.x.length !== ds.rows * ds.features) {
    throw new Error(`${where}: x has ${ds.x.length} values, expected rows × features = ${ds.rows} × ${ds.features}`);
  }
  if (ds.y.kind === "classes") {
    if (ds.y.labels.length !== ds.rows) throw new Error(`${where}: ${ds.y.labels.length} labels for ${ds.rows} rows`);
    for (let i = 0; i < ds.rows; i++) {
      const l = ds.y.labels[i];
      if (l < 0 || l >= ds.y.classes) throw new Error(`${where}: label ${l} at row ${i} is outside [0, ${ds.y.classes})`);
    }
  } else if (ds.y.values.length !== ds.rows * ds.y.outputs) {
    throw new Error(`${where}: ${ds.y.values.length} target values, expected rows × outputs = ${ds.rows} × ${ds.y.outputs}`);
  }
}
