/**
 * E1 `fashion-sigmoid-vs-relu` (seed 000): Fashion-MNIST, 784→30→30→30→30→10 with sigmoid
 * or ReLU hidden layers, Glorot-uniform weights (the same draw for both), Adam 0.001, batches
 * of 256 in file order, 20 epochs; mean |∂L/∂W| of the 5 kernels every 100 iterations.
 */
import type { FromSchema } from "json-schema-to-ts";
import { denseStack, type TrainConfig, type TrainData } from "../core/mod.ts";
import { loadFashionMnist, standardize } from "../data/mod.ts";
import { claim, type Claim, fmt } from "./claims.ts";
import type { Experiment } from "./experiment.ts";
import { cut, dataRecord } from "./_internals/data.ts";
import { kernelMeanAbs, kernelNames, lastEpoch, meanOverSteps, metric } from "./_internals/series.ts";
import { runNamed, summarizeRun, trainRuns } from "./_internals/training.ts";
import { configSchemaOf, kernelMeanAbsSchema, type Profile, resultSchemaOf, summarySchemaOf, runsSeriesSchema, trainingRunSchema } from "./result.ts";

const NAME = "fashion-sigmoid-vs-relu";

export const fashionSigmoidVsReluConfigSchema = configSchemaOf(NAME, {
  data: {
    type: "object",
    properties: {
      subset: { enum: ["full", "embedded"], description: "the full 60,000/10,000 set or the embedded 6,000/1,000 subset" },
      trainRows: { type: "integer", minimum: 1, description: "use only the first rows (absent: all)" },
      testRows: { type: "integer", minimum: 1 },
      standardize: { enum: ["std", "seed-000-mean"], description: "(x − mean)/std, or seed 000's (x − mean)/mean bug" },
    },
    required: ["subset", "standardize"],
    additionalProperties: false,
  },
  runs: { type: "array", items: trainingRunSchema, minItems: 2, maxItems: 2 },
}, ["data", "runs"]);
export type FashionSigmoidVsReluConfig = FromSchema<typeof fashionSigmoidVsReluConfigSchema>;

export const fashionSigmoidVsReluResultSchema = resultSchemaOf(
  NAME,
  fashionSigmoidVsReluConfigSchema,
  runsSeriesSchema,
  summarySchemaOf({
    kernelMeanAbs: kernelMeanAbsSchema,
  }, ["kernelMeanAbs"]),
);
export type FashionSigmoidVsReluResult = FromSchema<typeof fashionSigmoidVsReluResultSchema>;

const SIZES: Record<Profile, { subset: "full" | "embedded"; trainRows?: number; testRows?: number; epochs: number; every: number }> = {
  full: { subset: "full", epochs: 20, every: 100 },
  quick: { subset: "embedded", epochs: 3, every: 4 },
};

function config(profile: Profile, seed = 0): FashionSigmoidVsReluConfig {
  const s = SIZES[profile];
  const train: TrainConfig = {
    loss: "softmaxCrossEntropy",
    optimizer: { name: "adam", learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    batchSize: 256,
    epochs: s.epochs,
    shuffle: false,
    clipping: { name: "none" },
    seed,
    record: { every: s.every },
  };
  const data: FashionSigmoidVsReluConfig["data"] = { subset: s.subset, standardize: "std" };
  if (s.trainRows !== undefined) data.trainRows = s.trainRows;
  if (s.testRows !== undefined) data.testRows = s.testRows;
  return {
    experiment: NAME,
    profile,
    seed,
    data,
    runs: (["sigmoid", "relu"] as const).map((act) => ({
      name: act,
      description: `784→30→30→30→30→10, ${act} hidden layers, Glorot uniform weights (seed ${seed}), zero biases`,
      model: denseStack(784, [30, 30, 30, 30, 10], { name: act }, { name: "glorotUniform" }),
      train,
    })),
  };
}

function claimsOf(r: FashionSigmoidVsReluResult["series"]["runs"]): Claim[] {
  const sig = runNamed(r, "sigmoid"), relu = runNamed(r, "relu");
  const kernels = kernelNames(sig);
  const first = kernels[0], last = kernels[kernels.length - 1];
  const acc = (x: typeof sig, i: number) => metric(x.epochs[i], "trainAccuracy");
  const lastI = sig.epochs.length - 1;
  const sigPer = kernelMeanAbs(sig), reluPer = kernelMeanAbs(relu);
  const ratios = sigPer.map((v, i) => v / reluPer[i]);
  const firstOverLast = (x: typeof sig) => meanOverSteps(x, first) / meanOverSteps(x, last);
  const stepsBelow = (x: typeof sig) => {
    const i = x.parameterNames.indexOf(first), j = x.parameterNames.indexOf(last);
    return `${x.steps.filter((s) => s.meanAbs[i] < s.meanAbs[j]).length} of ${x.steps.length} recorded iterations`;
  };
  return [
    claim({
      id: "relu-beats-sigmoid-final",
      statement: "the ReLU model reaches higher accuracy than the sigmoid model",
      check: "training accuracy of the last epoch: relu − sigmoid > 0",
      measured: acc(relu, lastI) - acc(sig, lastI),
      comparison: ">",
      threshold: 0,
      detail: `relu ${fmt(acc(relu, lastI))}, sigmoid ${fmt(acc(sig, lastI))} after epoch ${lastI + 1}; test accuracy relu ${
        fmt(metric(lastEpoch(relu), "testAccuracy"))
      }, sigmoid ${fmt(metric(lastEpoch(sig), "testAccuracy"))}`,
    }),
    claim({
      id: "relu-beats-sigmoid-epoch1",
      statement: "the sigmoid model takes longer to reach high accuracy",
      check: "training accuracy of epoch 1: relu − sigmoid > 0",
      measured: acc(relu, 0) - acc(sig, 0),
      comparison: ">",
      threshold: 0,
      detail: `epoch 1: relu ${fmt(acc(relu, 0))}, sigmoid ${fmt(acc(sig, 0))}`,
    }),
    claim({
      id: "sigmoid-first-layer-below-last",
      statement: "in the sigmoid model, gradients of early layers are much smaller than those of the final layer",
      check: `sigmoid: mean over recorded iterations of mean|∂L/∂W| for ${first} ÷ the same for ${last} < 1`,
      measured: firstOverLast(sig),
      comparison: "<",
      threshold: 1,
      detail: `per layer ${sigPer.map(fmt).join(", ")}; layer 1 below layer ${kernels.length} at ${stepsBelow(sig)}`,
    }),
    claim({
      id: "relu-first-layer-below-last",
      statement: "gradients of early layers are much smaller than those of the final layer (the seed says so in general)",
      check: `relu: mean over recorded iterations of mean|∂L/∂W| for ${first} ÷ the same for ${last} < 1`,
      measured: firstOverLast(relu),
      comparison: "<",
      threshold: 1,
      detail: `per layer ${reluPer.map(fmt).join(", ")}; layer 1 below layer ${kernels.length} at ${stepsBelow(relu)}`,
    }),
    claim({
      id: "sigmoid-gradients-below-relu",
      statement: "sigmoid gradients are much smaller than ReLU gradients",
      check: "per kernel, mean|∂L/∂W| (mean over recorded iterations) sigmoid ÷ relu; the largest ratio over layers < 1",
      measured: Math.max(...ratios),
      comparison: "<",
      threshold: 1,
      detail: `sigmoid/relu per layer ${ratios.map(fmt).join(", ")}`,
    }),
  ];
}

/** E1: Fashion-MNIST, sigmoid vs ReLU, per-layer gradients (seed 000). */
export const fashionSigmoidVsRelu: Experiment<FashionSigmoidVsReluConfig, FashionSigmoidVsReluResult> = {
  name: NAME,
  id: "E1",
  title: "Fashion-MNIST: sigmoid vs ReLU, per-layer mean |gradient|",
  seedDocument: "000_71459287ec398f46.txt",
  defaultSeed: 0,
  atInitPaths: [],
  profiles: {
    full: "Fashion-MNIST 60,000/10,000, 20 epochs × 235 iterations, both activations (2 × 4,700 steps)",
    quick: "the embedded subset (6,000/1,000: the first 600/100 rows of each class), 3 epochs × 24 iterations, both activations; gradients every 4 iterations",
  },
  configSchema: fashionSigmoidVsReluConfigSchema,
  resultSchema: fashionSigmoidVsReluResultSchema,
  config,
  async run(cfg, ctx) {
    // Loaded in a function of its own, so the raw pixels (188 MB as float32) can be collected
    // while the standardized copy trains.
    const { s, source } = ((): { s: ReturnType<typeof standardize>; source: TrainData["source"] } => {
      const raw = loadFashionMnist({ dataDir: ctx.dataDir, env: ctx.env, subset: cfg.data.subset });
      const rows = cut(raw, cfg.data);
      return { s: standardize(rows.train, rows.test, cfg.data.standardize), source: raw.source };
    })();
    const data = { train: s.train, test: s.test, source };
    const full = source.name === "fashion-mnist" && data.train.rows === 60000 && data.test?.rows === 10000;
    const runs = await trainRuns(cfg.runs, () => data, ctx);
    return {
      data: dataRecord(data, full, `pixels 0-255 → ${s.stats.formula} with the training rows' global statistics; labels one-hot over 10 classes`, {
        mean: s.stats.mean,
        std: s.stats.std,
        divisor: s.stats.divisor,
      }),
      series: { runs },
    };
  },
  summarize: (_cfg, { runs }) => ({
    runs: runs.map(summarizeRun),
    kernelMeanAbs: runs.map((r) => ({ name: r.name, perLayer: kernelMeanAbs(r.result) })),
  }),
  claims: (_cfg, { runs }) => claimsOf(runs),
};
