/**
 * E4 `mnist-bn-elu-he` (seed 001): MNIST, 784→300→100→10, each dense layer He-initialized
 * (TF1 variance_scaling_initializer: factor 2, fan_in, truncated normal) → batch norm
 * (momentum 0.9, ε 0.001; the logits too) → ELU; sparse softmax cross-entropy, SGD 0.01,
 * shuffled batches of 200, 20 epochs, test accuracy per epoch. Comparisons, one factor at a
 * time: no BN; sigmoid + Glorot without BN and with BN; leaky ReLU (α 0.01) with BN and He.
 */
import type { FromSchema } from "json-schema-to-ts";
import { type ActivationSpec, type BatchNormSpec, denseStack, type InitializerSpec, type TrainConfig } from "../core/mod.ts";
import { claim, type Claim, fmt } from "./claims.ts";
import type { Experiment } from "./experiment.ts";
import { cut, dataRecord, loadMnistFor } from "./_internals/data.ts";
import { kernelMeanAbs, metric } from "./_internals/series.ts";
import { runNamed, summarizeRun, trainRuns } from "./_internals/training.ts";
import { configSchemaOf, kernelMeanAbsSchema, type Profile, resultSchemaOf, summarySchemaOf, rowCutSchema, runsSeriesSchema, trainingRunSchema } from "./result.ts";

const NAME = "mnist-bn-elu-he";

export const mnistBnEluHeConfigSchema = configSchemaOf(NAME, {
  data: rowCutSchema,
  runs: { type: "array", items: trainingRunSchema, minItems: 5, maxItems: 5 },
}, ["data", "runs"]);
export type MnistBnEluHeConfig = FromSchema<typeof mnistBnEluHeConfigSchema>;

export const mnistBnEluHeResultSchema = resultSchemaOf(
  NAME,
  mnistBnEluHeConfigSchema,
  runsSeriesSchema,
  summarySchemaOf({
    kernelMeanAbs: kernelMeanAbsSchema,
    notChecked: { type: "array", items: { type: "string" }, description: "claims of the seed this experiment does not test, and why" },
  }, ["kernelMeanAbs", "notChecked"]),
);
export type MnistBnEluHeResult = FromSchema<typeof mnistBnEluHeResultSchema>;

const SIZES: Record<Profile, { trainRows?: number; testRows?: number; epochs: number; every: number }> = {
  full: { epochs: 20, every: 10 },
  quick: { trainRows: 2000, testRows: 500, epochs: 3, every: 2 },
};

/** TF1's `tf.contrib.layers.variance_scaling_initializer()` defaults: factor 2, FAN_IN, truncated normal. */
const HE_TF1: InitializerSpec = { name: "varianceScaling", scale: 2, mode: "fanIn", distribution: "truncatedNormalTf1" };
const GLOROT: InitializerSpec = { name: "glorotUniform" }; // tf.layers.dense's default kernel initializer
const BN: BatchNormSpec = { momentum: 0.9, epsilon: 0.001 };

function config(profile: Profile, seed = 42): MnistBnEluHeConfig {
  const s = SIZES[profile];
  const train: TrainConfig = {
    loss: "sparseSoftmaxCrossEntropy",
    optimizer: { name: "sgd", learningRate: 0.01 },
    batchSize: 200,
    epochs: s.epochs,
    shuffle: true, // mnist.train.next_batch shuffles every epoch
    clipping: { name: "none" },
    seed,
    record: { every: s.every },
    evaluateTrainSet: true,
  };
  const net = (act: ActivationSpec, init: InitializerSpec, bn: boolean) =>
    denseStack(784, [300, 100, 10], act, init, bn ? { batchNorm: BN, batchNormLast: true } : {});
  const run = (name: string, description: string, act: ActivationSpec, init: InitializerSpec, bn: boolean) => ({
    name,
    description: `784→300→100→10: ${description}`,
    model: net(act, init, bn),
    train,
  });
  const data: MnistBnEluHeConfig["data"] = {};
  if (s.trainRows !== undefined) data.trainRows = s.trainRows;
  if (s.testRows !== undefined) data.testRows = s.testRows;
  return {
    experiment: NAME,
    profile,
    seed,
    data,
    runs: [
      run("bn-elu-he", "He (TF1) → batch norm (logits too) → ELU; the seed's net", { name: "elu", alpha: 1 }, HE_TF1, true),
      run("elu-he", "He (TF1) → ELU, no batch norm", { name: "elu", alpha: 1 }, HE_TF1, false),
      run("sigmoid-glorot", "Glorot uniform → sigmoid, no batch norm", { name: "sigmoid" }, GLOROT, false),
      run("bn-sigmoid-glorot", "Glorot uniform → batch norm (logits too) → sigmoid", { name: "sigmoid" }, GLOROT, true),
      run("bn-leaky-relu-he", "He (TF1) → batch norm (logits too) → leaky ReLU α 0.01", { name: "leakyRelu", alpha: 0.01 }, HE_TF1, true),
    ],
  };
}

function claimsOf(runs: MnistBnEluHeResult["series"]["runs"]): Claim[] {
  const r = (n: string) => runNamed(runs, n);
  const test = (n: string, i?: number) => {
    const e = r(n).epochs;
    return metric(e[i ?? e.length - 1], "testAccuracy");
  };
  const gap = (n: string) => {
    const e = r(n).epochs[r(n).epochs.length - 1];
    return metric(e, "trainEvalAccuracy") - metric(e, "testAccuracy");
  };
  const spread = (n: string) => {
    const k = kernelMeanAbs(r(n));
    return Math.abs(Math.log(k[0] / k[k.length - 1]));
  };
  const lastE = r("bn-elu-he").epochs.length;
  return [
    claim({
      id: "bn-lets-sigmoid-train",
      statement: "batch normalization lets saturating activations (the logistic sigmoid) train",
      check: `test accuracy after epoch ${lastE}: sigmoid + Glorot with BN − without BN > 0`,
      measured: test("bn-sigmoid-glorot") - test("sigmoid-glorot"),
      comparison: ">",
      threshold: 0,
      detail: `with BN ${fmt(test("bn-sigmoid-glorot"))}, without ${fmt(test("sigmoid-glorot"))}; epoch 1: ${fmt(test("bn-sigmoid-glorot", 0))} vs ${fmt(test("sigmoid-glorot", 0))}`,
    }),
    claim({
      id: "bn-speeds-up-early-training",
      statement: "batch normalization speeds training up (ELU + He)",
      check: "test accuracy after epoch 1: ELU + He with BN − without BN > 0",
      measured: test("bn-elu-he", 0) - test("elu-he", 0),
      comparison: ">",
      threshold: 0,
      detail: `with BN ${fmt(test("bn-elu-he", 0))}, without ${fmt(test("elu-he", 0))}`,
    }),
    claim({
      id: "bn-improves-final-accuracy",
      statement: "batch normalization improves the model (the seed adds: hardly, for shallow nets)",
      check: `test accuracy after epoch ${lastE}: ELU + He with BN − without BN > 0`,
      measured: test("bn-elu-he") - test("elu-he"),
      comparison: ">",
      threshold: 0,
      detail: `with BN ${fmt(test("bn-elu-he"))}, without ${fmt(test("elu-he"))}`,
    }),
    claim({
      id: "bn-evens-layer-gradients",
      statement: "batch normalization greatly reduces the vanishing-gradient problem",
      check: "|ln(mean|∂L/∂W| layer 1 ÷ layer 3)| (means over recorded iterations): without BN − with BN > 0 (ELU + He)",
      measured: spread("elu-he") - spread("bn-elu-he"),
      comparison: ">",
      threshold: 0,
      detail: `per layer with BN ${kernelMeanAbs(r("bn-elu-he")).map(fmt).join(", ")}; without ${kernelMeanAbs(r("elu-he")).map(fmt).join(", ")}`,
    }),
    claim({
      id: "bn-regularizes",
      statement: "batch normalization also acts as a regularizer",
      check: `train − test accuracy (both in inference mode) after epoch ${lastE}: without BN − with BN > 0 (ELU + He)`,
      measured: gap("elu-he") - gap("bn-elu-he"),
      comparison: ">",
      threshold: 0,
      detail: `gap with BN ${fmt(gap("bn-elu-he"))}, without ${fmt(gap("elu-he"))}`,
    }),
    claim({
      id: "elu-beats-leaky-relu",
      statement: "in general ELU > leaky ReLU > ReLU > tanh > logistic",
      check: `test accuracy after epoch ${lastE}: ELU − leaky ReLU (both He + BN) > 0`,
      measured: test("bn-elu-he") - test("bn-leaky-relu-he"),
      comparison: ">",
      threshold: 0,
      detail: `ELU ${fmt(test("bn-elu-he"))}, leaky ReLU ${fmt(test("bn-leaky-relu-he"))}`,
    }),
  ];
}

/** E4: batch normalization, ELU and He init on MNIST (seed 001). */
export const mnistBnEluHe: Experiment<MnistBnEluHeConfig, MnistBnEluHeResult> = {
  name: NAME,
  id: "E4",
  title: "MNIST: He init + batch norm + ELU, against no BN, sigmoid + Glorot (with and without BN) and leaky ReLU",
  seedDocument: "001_5de0e4da2c6835e5.txt",
  defaultSeed: 42,
  atInitPaths: [],
  profiles: {
    full: "MNIST (mnist package, 8,000/2,000), 20 epochs × 40 shuffled batches of 200, 5 nets",
    quick: "the first 2,000 train / 500 test rows, 3 epochs × 10 shuffled batches of 200, 5 nets; gradients every 2 iterations",
  },
  configSchema: mnistBnEluHeConfigSchema,
  resultSchema: mnistBnEluHeResultSchema,
  config,
  async run(cfg, ctx) {
    const raw = loadMnistFor(ctx);
    const data = cut(raw, cfg.data);
    const full = data.train.rows === raw.train.rows && data.test?.rows === raw.test?.rows;
    const runs = await trainRuns(cfg.runs, () => data, ctx);
    return {
      data: dataRecord(data, full, "pixels/255 (as loaded), flattened to 784; labels as class indices"),
      series: { runs },
    };
  },
  summarize: (_cfg, { runs }) => ({
    runs: runs.map(summarizeRun),
    kernelMeanAbs: runs.map((x) => ({ name: x.name, perLayer: kernelMeanAbs(x.result) })),
    notChecked: [
      "BN reduces sensitivity to the initialization: would need several init scales per net",
      "BN allows larger learning rates: would need a learning-rate sweep",
      "BN costs extra compute per layer: timings are not part of results (they are not reproducible)",
    ],
  }),
  claims: (_cfg, { runs }) => claimsOf(runs),
};
