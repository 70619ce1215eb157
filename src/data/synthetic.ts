/**
 * Source 003's regression data: the course's `tensorGenReg(w=[2,-1], bias=False, deg=2)`,
 * y = Σ_j w_j·x_j^deg (+ b) + σ·N(0,1) with x iid N(0,1), and its random 70/30 split.
 */
import type { Dataset, TrainData } from "../core/dataset.ts";
import { Rng } from "../core/random.ts";
import { sha256Json } from "./_internals/hash.ts";
import { selectRows } from "./_internals/rows.ts";

export interface RegressionOptions {
  /** number of samples (default 1,000) */
  n?: number;
  /** one weight per input feature (default [2, -1]) */
  weights?: number[];
  /**
   * The course's `bias=True`: the true bias b is added to y and, as the course does, a column
   * of ones is appended to the features. Default: no bias (the source's `bias=False`).
   */
  bias?: number;
  /** power applied to each feature before weighting (default 2) */
  degree?: number;
  /** standard deviation of the additive Gaussian noise (the course's delta, default 0.01) */
  noise?: number;
}

function resolve(opts: RegressionOptions) {
  const r = { n: 1000, weights: [2, -1], degree: 2, noise: 0.01, ...opts };
  if (!Number.isInteger(r.n) || r.n <= 0) throw new Error(`tensorGenReg: n ${r.n}, expected a positive integer`);
  if (r.weights.length === 0) throw new Error("tensorGenReg: weights is empty, expected one weight per feature");
  if (!(r.noise >= 0)) throw new Error(`tensorGenReg: noise ${r.noise}, expected ≥ 0`);
  return r;
}

/**
 * Draws the regression data from `rng`: first all features row by row, then all noise terms
 * (the order torch draws them in the course's code).
 *
 * @example
 * const ds = tensorGenReg({}, new Rng(420)); // 1,000 rows, y = 2·x1² − x2² + 0.01·ε
 */
export function tensorGenReg(opts: RegressionOptions, rng: Rng): Dataset {
  const { n, weights, bias, degree, noise } = resolve(opts);
  const d = weights.length, features = bias === undefined ? d : d + 1;
  const x = new Float32Array(n * features);
  const raw = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) raw[i] = rng.normal();
  const clean = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let y = bias ?? 0;
    for (let j = 0; j < d; j++) {
      const v = Math.fround(raw[i * d + j]); // torch.randn gives float32 features
      x[i * features + j] = v;
      y += weights[j] * v ** degree;
    }
    if (bias !== undefined) x[i * features + d] = 1;
    clean[i] = y;
  }
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = clean[i] + noise * rng.normal();
  return { x, rows: n, features, y: { kind: "regression", values, outputs: 1 } };
}

/**
 * A random split: `fraction` of the rows (floor) go to train, the rest to test, both in the
 * order of one permutation drawn from `rng` (like torch's `random_split`).
 *
 * @example
 * const { train, test } = splitDataset(ds, 0.7, new Rng(420).fork("split")); // 700 / 300
 */
export function splitDataset(ds: Dataset, fraction: number, rng: Rng): { train: Dataset; test: Dataset } {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`splitDataset: fraction ${fraction}, expected a number in (0, 1)`);
  const nTrain = Math.floor(ds.rows * fraction);
  const perm = rng.permutation(ds.rows);
  return { train: selectRows(ds, perm.subarray(0, nTrain)), test: selectRows(ds, perm.subarray(nTrain)) };
}

/**
 * E2's data in one call: `tensorGenReg` from `Rng(seed).fork("tensorGenReg")`, split with
 * `Rng(seed).fork("split")` (default 70/30). `source.sha256` hashes the parameters and seed.
 *
 * @example
 * const data = syntheticRegression({ seed: 420 }); // 700 train / 300 test rows
 */
export function syntheticRegression(opts: RegressionOptions & { seed: number; trainFraction?: number }): TrainData {
  const { seed, trainFraction = 0.7, ...genOpts } = opts;
  const root = new Rng(seed);
  const params = { generator: "tensorGenReg", ...resolve(genOpts), trainFraction, seed };
  const { train, test } = splitDataset(tensorGenReg(genOpts, root.fork("tensorGenReg")), trainFraction, root.fork("split"));
  const { n, weights, bias, degree, noise } = params;
  return {
    train,
    test,
    source: {
      name: "synthetic-regression",
      location: "generated",
      sha256: sha256Json(params),
      description:
        `tensorGenReg: ${n} rows, x ~ N(0,1)^${weights.length}, y = ${weights.map((w, j) => `${w}·x${j + 1}^${degree}`).join(" + ")}` +
        `${bias === undefined ? "" : ` + ${bias} (ones column appended)`} + ${noise}·N(0,1); seed ${seed}, ` +
        `random ${train.rows}/${test.rows} split`,
    },
  };
}
