/**
 * Feature scaling. Statistics are computed in float64; each output value is computed in
 * float64 and rounded once to float32 (what numpy does when float64 results are fed to a
 * float32 placeholder, as in seed 000).
 */
import type { Dataset } from "../core/dataset.ts";

/**
 * "std": (x − mean)/std with the training set's global mean and global (population, ddof 0)
 * standard deviation — the correct default.
 * "source-000-mean": (x − mean)/mean, source 000's `normalize`, which sets `train_std = np.mean(x_train)`.
 */
export type StandardizeMode = "std" | "source-000-mean";

/** The statistics a standardization used, to be recorded with the result. */
export interface StandardizeStats {
  mode: StandardizeMode;
  /** global mean of the training features */
  mean: number;
  /** global population standard deviation of the training features */
  std: number;
  /** what was divided by: `std` in mode "std", `mean` in mode "source-000-mean" */
  divisor: number;
  formula: string;
}

/**
 * Global mean and population standard deviation of `x` (two passes, float64).
 *
 * @example
 * globalMeanStd(Float32Array.from([1, 2, 3, 4])); // { mean: 2.5, std: 1.118… }
 */
export function globalMeanStd(x: Float32Array): { mean: number; std: number } {
  if (x.length === 0) throw new Error("globalMeanStd: no values");
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  const mean = sum / x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - mean) * (x[i] - mean);
  return { mean, std: Math.sqrt(ss / x.length) };
}

/**
 * A copy of `ds` with every feature value replaced by `f(value)`, rounded to float32. The copy
 * lives in a SharedArrayBuffer, so training workers can read it without copies of their own.
 */
function mapFeatures(ds: Dataset, f: (v: number) => number): Dataset {
  const x = new Float32Array(new SharedArrayBuffer(ds.x.length * 4));
  for (let i = 0; i < x.length; i++) x[i] = f(ds.x[i]);
  return { ...ds, x };
}

/**
 * Standardizes train and test with the TRAINING set's global statistics (one mean and one
 * divisor over all features and rows). Returns new data sets and the statistics used.
 *
 * @example
 * const { train, test, stats } = standardize(data.train, data.test);            // (x − mean)/std
 * const seedBug = standardize(data.train, data.test, "source-000-mean");           // (x − mean)/mean
 */
export function standardize(
  train: Dataset,
  test?: Dataset,
  mode: StandardizeMode = "std",
): { train: Dataset; test?: Dataset; stats: StandardizeStats } {
  const { mean, std } = globalMeanStd(train.x);
  let divisor: number, formula: string;
  if (mode === "std") [divisor, formula] = [std, "(x - mean) / std"];
  else if (mode === "source-000-mean") [divisor, formula] = [mean, "(x - mean) / mean  (source 000's bug: train_std = np.mean(x_train))"];
  else throw new Error(`standardize: mode "${mode}", expected "std" or "source-000-mean"`);
  if (!(divisor > 0)) throw new Error(`standardize: the training set's ${mode === "std" ? "std" : "mean"} is ${divisor}; cannot divide by it`);
  const f = (v: number) => (v - mean) / divisor;
  const stats: StandardizeStats = { mode, mean, std, divisor, formula };
  return test ? { train: mapFeatures(train, f), test: mapFeatures(test, f), stats } : { train: mapFeatures(train, f), stats };
}

/**
 * Divides every feature by `divisor` (e.g. raw pixels / 255 → [0, 1]).
 *
 * @example
 * const unit = scale(rawPixels, 255);
 */
export function scale(ds: Dataset, divisor: number): Dataset {
  if (!(divisor !== 0 && Number.isFinite(divisor))) throw new Error(`scale: divisor ${divisor}, expected a finite non-zero number`);
  return mapFeatures(ds, (v) => v / divisor);
}

/**
 * (x − mean)/std with given constants, e.g. seed 004's torchvision `Normalize((0.1307,), (0.3081,))`
 * applied to pixels already in [0, 1].
 *
 * @example
 * const e5 = normalizeMeanStd(scale(raw, 255), 0.1307, 0.3081);
 */
export function normalizeMeanStd(ds: Dataset, mean: number, std: number): Dataset {
  if (!(std > 0 && Number.isFinite(std))) throw new Error(`normalizeMeanStd: std ${std}, expected a positive number`);
  return mapFeatures(ds, (v) => (v - mean) / std);
}

/** The MNIST statistics seed 004 uses: mean 0.1307, std 0.3081 of pixels in [0, 1]. */
export const MNIST_MEAN_STD = { mean: 0.1307, std: 0.3081 } as const;
