/**
 * E5 `mnist-relu-sgd-momentum` (seed 004): the article's PyTorch code as a healthy baseline.
 * MNIST normalized with mean 0.1307 / std 0.3081, 784→512→256→10 ReLU with PyTorch's default
 * init, log-softmax + NLL (= softmax cross-entropy on the logits: log_softmax is idempotent),
 * SGD lr 0.01 momentum 0.9, shuffled batches of 64, 9 epochs. Its per-layer gradients should
 * neither vanish nor explode.
 */
import type { FromSchema } from "json-schema-to-ts";
import { denseStack } from "../core/mod.ts";
import { MNIST_MEAN_STD, normalizeMeanStd } from "../data/mod.ts";
import { claim, type Claim, fmt } from "./claims.ts";
import type { Experiment } from "./experiment.ts";
import { cut, dataRecord, loadMnistFor } from "./_internals/data.ts";
import { kernelMeanAbs, kernelNames, lastEpoch, metric } from "./_internals/series.ts";
import { runNamed, summarizeRun, trainRuns } from "./_internals/training.ts";
import { configSchemaOf, type Profile, resultSchemaOf, summarySchemaOf, runsSeriesSchema, trainingRunSchema } from "./result.ts";

const NAME = "mnist-relu-sgd-momentum";

/**
 * The band for "neither vanish nor explode": at every recorded iteration the kernels' mean
 * |∂L/∂W| lie within one order of magnitude of each other (no layer vanishes relative to
 * another), and the global gradient norm never exceeds 10× its value at initialization.
 */
export const HEALTHY_BAND = { layerSpread: 10, growthOverInit: 10 } as const;

export const mnistReluSgdMomentumConfigSchema = configSchemaOf(NAME, {
  data: {
    type: "object",
    properties: {
      trainRows: { type: "integer", minimum: 1, description: "use only the first rows (absent: all)" },
      testRows: { type: "integer", minimum: 1 },
      mean: { type: "number" },
      std: { type: "number", exclusiveMinimum: 0 },
    },
    required: ["mean", "std"],
    additionalProperties: false,
  },
  band: {
    type: "object",
    properties: {
      layerSpread: { type: "number", exclusiveMinimum: 1, description: "largest ÷ smallest kernel mean|∂L/∂W| allowed at any recorded iteration" },
      growthOverInit: { type: "number", exclusiveMinimum: 1, description: "largest global norm allowed, as a multiple of the first recorded one" },
    },
    required: ["layerSpread", "growthOverInit"],
    additionalProperties: false,
  },
  runs: { type: "array", items: trainingRunSchema, minItems: 1, maxItems: 1 },
}, ["data", "band", "runs"]);
export type MnistReluSgdMomentumConfig = FromSchema<typeof mnistReluSgdMomentumConfigSchema>;

export const mnistReluSgdMomentumResultSchema = resultSchemaOf(
  NAME,
  mnistReluSgdMomentumConfigSchema,
  runsSeriesSchema,
  summarySchemaOf({
    kernelMeanAbs: { type: "array", items: { type: "number" }, description: "mean |∂L/∂W| per kernel averaged over the recorded iterations" },
    largestLayerSpread: { type: "number" },
    largestGrowthOverInit: { type: "number" },
  }, ["kernelMeanAbs", "largestLayerSpread", "largestGrowthOverInit"]),
);
export type MnistReluSgdMomentumResult = FromSchema<typeof mnistReluSgdMomentumResultSchema>;

const SIZES: Record<Profile, { trainRows?: number; testRows?: number; epochs: number; every: number }> = {
  full: { epochs: 9, every: 25 },
  quick: { trainRows: 2048, testRows: 500, epochs: 3, every: 8 },
};

function config(profile: Profile, seed = 4): MnistReluSgdMomentumConfig {
  const s = SIZES[profile];
  const data: MnistReluSgdMomentumConfig["data"] = { mean: MNIST_MEAN_STD.mean, std: MNIST_MEAN_STD.std };
  if (s.trainRows !== undefined) data.trainRows = s.trainRows;
  if (s.testRows !== undefined) data.testRows = s.testRows;
  return {
    experiment: NAME,
    profile,
    seed,
    data,
    band: { ...HEALTHY_BAND },
    runs: [{
      name: "relu-momentum",
      description: "784→512→256→10, relu, PyTorch default init (weights and biases); softmax cross-entropy; SGD 0.01 momentum 0.9",
      model: denseStack(784, [512, 256, 10], { name: "relu" }, { name: "torchDefault" }, { biasInitializer: { name: "torchDefault" } }),
      train: {
        loss: "softmaxCrossEntropy",
        optimizer: { name: "momentum", learningRate: 0.01, momentum: 0.9, nesterov: false },
        batchSize: 64,
        epochs: s.epochs,
        shuffle: true,
        clipping: { name: "none" },
        seed,
        record: { every: s.every },
      },
    }],
  };
}

function measures(r: ReturnType<typeof runNamed>) {
  const idx = kernelNames(r).map((n) => r.parameterNames.indexOf(n));
  const spreads = r.steps.map((s) => {
    const k = idx.map((i) => s.meanAbs[i]);
    return Math.max(...k) / Math.min(...k);
  });
  const g0 = r.steps[0]?.globalNorm ?? NaN;
  const growth = r.steps.map((s) => s.globalNorm / g0);
  return { spreads, growth, g0 };
}

function claimsOf(cfg: MnistReluSgdMomentumConfig, runs: MnistReluSgdMomentumResult["series"]["runs"]): Claim[] {
  const r = runNamed(runs, "relu-momentum");
  const { spreads, growth, g0 } = measures(r);
  const worst = spreads.indexOf(Math.max(...spreads));
  const inBand = spreads.filter((s) => s <= cfg.band.layerSpread).length;
  const last = lastEpoch(r);
  return [
    claim({
      id: "layer-gradients-within-band",
      statement: "the per-layer gradients neither vanish nor explode relative to each other",
      check: `at every recorded iteration: largest ÷ smallest kernel mean|∂L/∂W| ≤ ${cfg.band.layerSpread}`,
      measured: Math.max(...spreads),
      comparison: "<=",
      threshold: cfg.band.layerSpread,
      detail: `within the band at ${inBand} of ${spreads.length} recorded iterations; worst at iteration ${r.steps[worst]?.iteration}: ` +
        `${r.steps[worst]?.meanAbs.map(fmt).join(", ")} (all parameters); mean per kernel over the run ${kernelMeanAbs(r).map(fmt).join(", ")}`,
    }),
    claim({
      id: "no-gradient-explosion",
      statement: "the gradients do not explode during training",
      check: `largest global gradient norm ÷ the first recorded one ≤ ${cfg.band.growthOverInit}`,
      measured: Math.max(...growth),
      comparison: "<=",
      threshold: cfg.band.growthOverInit,
      detail: `first ${fmt(g0)}, largest ${fmt(g0 * Math.max(...growth))}, last ${fmt(r.steps[r.steps.length - 1].globalNorm)}`,
    }),
    claim({
      id: "trains-to-high-accuracy",
      statement: "the baseline trains normally (no floating-point failure, as the seed's story has it)",
      check: `test accuracy after epoch ${last.epoch} ≥ 0.9`,
      measured: metric(last, "testAccuracy"),
      comparison: ">=",
      threshold: 0.9,
      detail: `train accuracy during epoch ${last.epoch}: ${fmt(metric(last, "trainAccuracy"))}`,
    }),
  ];
}

/** E5: a healthy MNIST baseline with SGD + momentum (seed 004). */
export const mnistReluSgdMomentum: Experiment<MnistReluSgdMomentumConfig, MnistReluSgdMomentumResult> = {
  name: NAME,
  id: "E5",
  title: "MNIST, ReLU, SGD with momentum: a baseline whose gradients neither vanish nor explode",
  seedDocument: "004_67b4ad7270558cd9.txt",
  defaultSeed: 4,
  atInitPaths: [],
  profiles: {
    full: "MNIST (mnist package, 8,000/2,000), 9 epochs × 125 shuffled batches of 64, gradients every 25 iterations",
    quick: "the first 2,048 train / 500 test rows, 3 epochs × 32 shuffled batches of 64, gradients every 8 iterations",
  },
  configSchema: mnistReluSgdMomentumConfigSchema,
  resultSchema: mnistReluSgdMomentumResultSchema,
  config,
  async run(cfg, ctx) {
    const raw = loadMnistFor(ctx);
    const rows = cut(raw, cfg.data);
    const data = {
      train: normalizeMeanStd(rows.train, cfg.data.mean, cfg.data.std),
      test: normalizeMeanStd(rows.test!, cfg.data.mean, cfg.data.std),
      source: raw.source,
    };
    const full = rows.train.rows === raw.train.rows && rows.test?.rows === raw.test?.rows;
    const runs = await trainRuns(cfg.runs, () => data, ctx);
    return {
      data: dataRecord(data, full, `pixels/255 (as loaded) → (x − ${cfg.data.mean}) / ${cfg.data.std} (torchvision Normalize); labels as classes`, {
        mean: cfg.data.mean,
        std: cfg.data.std,
      }),
      series: { runs },
    };
  },
  summarize(_cfg, { runs }) {
    const m = measures(runs[0].result);
    return {
      runs: runs.map(summarizeRun),
      kernelMeanAbs: kernelMeanAbs(runs[0].result),
      largestLayerSpread: Math.max(...m.spreads),
      largestGrowthOverInit: Math.max(...m.growth),
    };
  },
  claims: (cfg, { runs }) => claimsOf(cfg, runs),
};
