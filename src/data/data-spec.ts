/**
 * Which data a training run uses, as plain data: the data set, how much of it and how it is
 * preprocessed. `gradlab train CONFIG.json` reads this from the config's `data` field.
 */
import type { FromSchema } from "json-schema-to-ts";
import type { Dataset, TrainData } from "../core/dataset.ts";
import { EMBEDDED_SOURCE_NAME } from "./embedded-subset.ts";
import { loadFashionMnist } from "./fashion-mnist.ts";
import { firstRows } from "./first-rows.ts";
import { mnistIdxDir } from "./data-dirs.ts";
import { loadMnist, loadMnistIdx } from "./mnist.ts";
import { MNIST_MEAN_STD, normalizeMeanStd, scale, standardize } from "./normalize.ts";
import { syntheticRegression } from "./synthetic.ts";

/**
 * Class labels as one-hot regression targets (for an MSE loss on classes, as source 002 does).
 *
 * @example
 * oneHotTargets(mnist.train).y; // { kind: "regression", outputs: 10, values: … }
 */
export function oneHotTargets(ds: Dataset): Dataset {
  if (ds.y.kind !== "classes") throw new Error("oneHotTargets: the data set has no class labels");
  const { labels, classes } = ds.y;
  const values = new Float32Array(ds.rows * classes);
  for (let i = 0; i < ds.rows; i++) values[i * classes + labels[i]] = 1;
  return { ...ds, y: { kind: "regression", values, outputs: classes } };
}

export const dataSpecSchema = {
  type: "object",
  properties: {
    dataset: { enum: ["fashion-mnist", "mnist", "synthetic-regression"] },
    subset: { enum: ["auto", "full", "embedded"], description: "Fashion-MNIST: the full set, the embedded subset, or whichever is found" },
    preprocess: {
      enum: ["none", "standardize", "standardize-source-000", "scale-255", "mnist-mean-std"],
      description: "standardize: (x − mean)/std with the training set's global statistics; standardize-source-000: source 000's (x − mean)/mean; scale-255: x/255; mnist-mean-std: (x − 0.1307)/0.3081 on pixels in [0,1]",
    },
    trainRows: { type: "integer", minimum: 1, description: "keep the first N training rows" },
    testRows: { type: "integer", minimum: 0, description: "keep the first N test rows (0 = no test set)" },
    targets: { enum: ["labels", "one-hot"], description: "labels: class indices as loaded (default); one-hot: classes as one-hot regression targets (for an MSE loss on classes, as source 002 does)" },
    samples: { type: "integer", minimum: 2, description: "synthetic-regression: number of samples (default 1,000)" },
    weights: { type: "array", items: { type: "number" }, minItems: 1, description: "synthetic-regression: one weight per feature (default [2, -1])" },
    degree: { type: "integer", description: "synthetic-regression: power applied to each feature (default 2)" },
    noise: { type: "number", minimum: 0, description: "synthetic-regression: standard deviation of the additive noise (default 0.01)" },
    trainFraction: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, description: "synthetic-regression: the random train/test split (default 0.7)" },
    seed: { type: "integer", minimum: 0, maximum: 4294967295, description: "synthetic-regression: the seed the data is drawn from (default: the run's seed, and then a run over seeds is refused: its seeds would train on different data); give it to fix the data, so every seed of a run over seeds trains on the same data" },
  },
  required: ["dataset"],
  additionalProperties: false,
} as const;
export type DataSpec = FromSchema<typeof dataSpecSchema>;

/**
 * The seed the data a spec names is drawn from, given the run's seed: synthetic data's own
 * seed, else the run's; null for a data set, which is read, not drawn.
 *
 * @example
 * dataSeedOf({ dataset: "synthetic-regression" }, 3); // 3
 * dataSeedOf({ dataset: "synthetic-regression", seed: 7 }, 3); // 7
 * dataSeedOf({ dataset: "mnist" }, 3); // null
 */
export function dataSeedOf(spec: DataSpec, runSeed: number): number | null {
  return spec.dataset === "synthetic-regression" ? spec.seed ?? runSeed : null;
}

/**
 * Loads the data a spec names. Fashion-MNIST is found through `dataDir` / `env`
 * (GRADLAB_DATA_DIR) as `loadFashionMnist` does; MNIST from `mnistDir` or GRADLAB_MNIST_DIR
 * (IDX files), else the `mnist` package; synthetic data from `seed`. A `trainRows` or
 * `testRows` larger than the data set is refused: the run would not be the one the spec
 * describes (a spec written for the full Fashion-MNIST, say, falling back to the subset).
 *
 * @example
 * const data = loadDataSpec({ dataset: "fashion-mnist", preprocess: "standardize" }, { seed: 1 });
 */
export function loadDataSpec(
  spec: DataSpec,
  options: { dataDir?: string; mnistDir?: string; env?: Record<string, string | undefined>; seed: number },
): TrainData & { preprocessing: string; statistics?: Record<string, number>; full: boolean } {
  let data: TrainData;
  switch (spec.dataset) {
    case "fashion-mnist":
      data = loadFashionMnist({ dataDir: options.dataDir, env: options.env, subset: spec.subset ?? "auto" });
      break;
    case "mnist": {
      const dir = mnistIdxDir(options);
      data = dir ? loadMnistIdx(dir) : loadMnist();
      break;
    }
    case "synthetic-regression": {
      const { samples: n, weights, degree, noise, trainFraction } = spec;
      const given = Object.entries({ n, weights, degree, noise, trainFraction }).filter(([, v]) => v !== undefined);
      data = syntheticRegression({ seed: dataSeedOf(spec, options.seed)!, ...Object.fromEntries(given) });
      break;
    }
  }
  for (const [field, want, have] of [["trainRows", spec.trainRows, data.train.rows], ["testRows", spec.testRows, data.test?.rows ?? 0]] as const) {
    if (want !== undefined && want > have) {
      throw new Error(
        `/data/${field}: ${want} rows asked for, but ${data.source.name} has ${have.toLocaleString("en-US")} ` +
          `${field === "trainRows" ? "training" : "test"} rows (${data.source.description}); ask for at most ${have} or use a larger data set`,
      );
    }
  }
  const complete = data.source.name !== EMBEDDED_SOURCE_NAME;
  let train = firstRows(data.train, spec.trainRows);
  let test = spec.testRows === 0 ? undefined : data.test && firstRows(data.test, spec.testRows);
  const mode = spec.preprocess ?? "none";
  let preprocessing = "none";
  let statistics: Record<string, number> | undefined;
  switch (mode) {
    case "standardize":
    case "standardize-source-000": {
      const r = standardize(train, test, mode === "standardize" ? "std" : "source-000-mean");
      train = r.train;
      test = r.test;
      preprocessing = `${r.stats.formula} with the training rows' global statistics`;
      statistics = { mean: r.stats.mean, std: r.stats.std, divisor: r.stats.divisor };
      break;
    }
    case "scale-255":
      train = scale(train, 255);
      test = test && scale(test, 255);
      preprocessing = "x / 255";
      break;
    case "mnist-mean-std":
      train = normalizeMeanStd(train, MNIST_MEAN_STD.mean, MNIST_MEAN_STD.std);
      test = test && normalizeMeanStd(test, MNIST_MEAN_STD.mean, MNIST_MEAN_STD.std);
      preprocessing = `(x − ${MNIST_MEAN_STD.mean}) / ${MNIST_MEAN_STD.std} (torchvision Normalize)`;
      statistics = { mean: MNIST_MEAN_STD.mean, std: MNIST_MEAN_STD.std };
      break;
  }
  if (spec.targets === "one-hot") {
    train = oneHotTargets(train);
    test = test && oneHotTargets(test);
    preprocessing += "; labels one-hot as regression targets";
  }
  // every row of a complete source (not the embedded subset) was kept
  const full = complete && train.rows === data.train.rows && (test?.rows ?? 0) === (data.test?.rows ?? 0);
  const out: TrainData & { preprocessing: string; statistics?: Record<string, number>; full: boolean } = { train, source: data.source, preprocessing, full };
  if (test) out.test = test;
  if (statistics) out.statistics = statistics;
  return out;
}
