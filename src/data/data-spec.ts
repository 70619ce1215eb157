/**
 * Which data a training run uses, as plain data: the data set, how much of it and how it is
 * preprocessed. `gradlab train CONFIG.json` reads this from the config's `data` field.
 */
import type { FromSchema } from "json-schema-to-ts";
import type { TrainData } from "../core/dataset.ts";
import { loadFashionMnist } from "./fashion-mnist.ts";
import { firstRows } from "./first-rows.ts";
import { mnistIdxDir } from "./data-dirs.ts";
import { loadMnist, loadMnistIdx } from "./mnist.ts";
import { MNIST_MEAN_STD, normalizeMeanStd, scale, standardize } from "./normalize.ts";
import { syntheticRegression } from "./synthetic.ts";

export const dataSpecSchema = {
  type: "object",
  properties: {
    dataset: { enum: ["fashion-mnist", "mnist", "synthetic-regression"] },
    subset: { enum: ["auto", "full", "embedded"], description: "Fashion-MNIST: the full set, the embedded subset, or whichever is found" },
    preprocess: {
      enum: ["none", "standardize", "standardize-seed-000", "scale-255", "mnist-mean-std"],
      description: "standardize: (x − mean)/std with the training set's global statistics; standardize-seed-000: seed 000's (x − mean)/mean; scale-255: x/255; mnist-mean-std: (x − 0.1307)/0.3081 on pixels in [0,1]",
    },
    trainRows: { type: "integer", minimum: 1, description: "keep the first N training rows" },
    testRows: { type: "integer", minimum: 0, description: "keep the first N test rows (0 = no test set)" },
    samples: { type: "integer", minimum: 2, description: "synthetic-regression: number of samples" },
  },
  required: ["dataset"],
  additionalProperties: false,
} as const;
export type DataSpec = FromSchema<typeof dataSpecSchema>;

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
): TrainData & { preprocessing: string } {
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
    case "synthetic-regression":
      data = syntheticRegression({ seed: options.seed, n: spec.samples });
      break;
  }
  for (const [field, want, have] of [["trainRows", spec.trainRows, data.train.rows], ["testRows", spec.testRows, data.test?.rows ?? 0]] as const) {
    if (want !== undefined && want > have) {
      throw new Error(
        `/data/${field}: ${want} rows asked for, but ${data.source.name} has ${have.toLocaleString("en-US")} ` +
          `${field === "trainRows" ? "training" : "test"} rows (${data.source.description}); ask for at most ${have} or use a larger data set`,
      );
    }
  }
  let train = firstRows(data.train, spec.trainRows);
  let test = spec.testRows === 0 ? undefined : data.test && firstRows(data.test, spec.testRows);
  const mode = spec.preprocess ?? "none";
  let preprocessing = "none";
  switch (mode) {
    case "standardize":
    case "standardize-seed-000": {
      const r = standardize(train, test, mode === "standardize" ? "std" : "seed-000-mean");
      train = r.train;
      test = r.test;
      preprocessing = r.stats.formula;
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
      preprocessing = `(x − ${MNIST_MEAN_STD.mean}) / ${MNIST_MEAN_STD.std}`;
      break;
  }
  const out: TrainData & { preprocessing: string } = { train, source: data.source, preprocessing };
  if (test) out.test = test;
  return out;
}
