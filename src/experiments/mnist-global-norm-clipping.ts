/**
 * E3 `mnist-global-norm-clipping` (seed 002): MNIST, 784→512→256→10 ReLU, truncated-normal
 * σ 0.1 weights, MSE on one-hot targets, SGD 0.1 (chosen to provoke large gradients), batches
 * of 256 in file order, 30 passes; every step the L2 norm of each of the 6 gradient tensors
 * before and after clipping by global norm 15 — after clipping measured on the gradients the
 * update applied (the engines' recorders), so a clip that the update does not see shows here.
 * Seed 002's arithmetic (its printed step, 0.99^365 and 1.01^365) is checked on the core by the
 * laws clip-by-global-norm and compounding-factors, not recorded here as evidence from this run.
 */
import type { FromSchema } from "json-schema-to-ts";
import { denseStack } from "../core/mod.ts";
import { claim, type Claim, fmt } from "./claims.ts";
import type { Experiment } from "./experiment.ts";
import { cut, dataRecord, loadMnistFor, oneHotTargets } from "./_internals/data.ts";
import { runNamed, summarizeRun, trainRuns } from "./_internals/training.ts";
import { configSchemaOf, type Profile, resultSchemaOf, summarySchemaOf, rowCutSchema, runsSeriesSchema, trainingRunSchema } from "./result.ts";

const NAME = "mnist-global-norm-clipping";

/**
 * Relative slack for comparing norms recomputed in float32 after scaling: both sides sum
 * ~5·10⁵ squares in float32 (relative error ~√n·ε₃₂ ≈ 10⁻⁴ at worst in practice) and the
 * scale factor 15/G is itself rounded.
 */
export const NORM_RTOL = 1e-4;

export const mnistGlobalNormClippingConfigSchema = configSchemaOf(NAME, {
  data: rowCutSchema,
  runs: { type: "array", items: trainingRunSchema, minItems: 1, maxItems: 1 },
}, ["data", "runs"]);
export type MnistGlobalNormClippingConfig = FromSchema<typeof mnistGlobalNormClippingConfigSchema>;

export const mnistGlobalNormClippingResultSchema = resultSchemaOf(
  NAME,
  mnistGlobalNormClippingConfigSchema,
  runsSeriesSchema,
  summarySchemaOf({
    steps: { type: "integer", minimum: 0 },
    clippedSteps: { type: "integer", minimum: 0, description: "steps whose global norm exceeded the limit" },
    firstClippedIteration: { type: "integer", minimum: -1, description: "-1 when no step was clipped" },
    maxGlobalNormBefore: { type: "number" },
    maxGlobalNormAfter: { type: "number" },
  }, ["steps", "clippedSteps", "firstClippedIteration", "maxGlobalNormBefore", "maxGlobalNormAfter"]),
);
export type MnistGlobalNormClippingResult = FromSchema<typeof mnistGlobalNormClippingResultSchema>;

const SIZES: Record<Profile, { trainRows?: number; testRows?: number; epochs: number }> = {
  full: { epochs: 30 },
  quick: { trainRows: 1024, testRows: 500, epochs: 3 },
};

function config(profile: Profile, seed = 2): MnistGlobalNormClippingConfig {
  const s = SIZES[profile];
  const data: MnistGlobalNormClippingConfig["data"] = {};
  if (s.trainRows !== undefined) data.trainRows = s.trainRows;
  if (s.testRows !== undefined) data.testRows = s.testRows;
  return {
    experiment: NAME,
    profile,
    seed,
    data,
    runs: [{
      name: "clip-15",
      description: "784→512→256→10, relu, truncated normal σ 0.1 weights, zero biases; MSE; SGD 0.1; clip by global norm 15",
      model: denseStack(784, [512, 256, 10], { name: "relu" }, { name: "truncatedNormal", stddev: 0.1 }),
      train: {
        loss: "mse",
        optimizer: { name: "sgd", learningRate: 0.1 },
        batchSize: 256,
        epochs: s.epochs,
        shuffle: false,
        clipping: { name: "globalNorm", maxNorm: 15 },
        seed,
        record: { every: 1 },
      },
    }],
  };
}

/** The run's global-norm limit. */
function clipNorm(cfg: MnistGlobalNormClippingConfig): number {
  const clipping = cfg.runs[0].train.clipping;
  if (clipping.name !== "globalNorm") throw new Error(`${NAME}: the run must clip by global norm, not ${clipping.name}`);
  return clipping.maxNorm;
}

function claimsOf(cfg: MnistGlobalNormClippingConfig, runs: MnistGlobalNormClippingResult["series"]["runs"]): Claim[] {
  const r = runNamed(runs, "clip-15");
  const c = clipNorm(cfg);
  const within = r.steps.filter((s) => s.globalNorm <= c);
  const clipped = r.steps.filter((s) => s.globalNorm > c);
  const maxAfter = Math.max(...r.steps.map((s) => s.clippedGlobalNorm ?? NaN));
  const changed = Math.max(0, ...within.flatMap((s) => s.l2.map((v, i) => Math.abs(s.clippedL2![i] - v))));
  const factorError = Math.max(0, ...clipped.flatMap((s) => s.l2.map((v, i) => Math.abs(s.clippedL2![i] / v - c / s.globalNorm) / (c / s.globalNorm))));
  const first = clipped[0];
  return [
    claim({
      id: "clipped-global-norm-at-most-limit",
      statement: `after clipping, the global norm is at most ${c} at every step`,
      check: `largest global norm after clipping, measured on the gradients each update applied, over all ${r.steps.length} steps ≤ ${c}·(1 + ${NORM_RTOL})`,
      measured: maxAfter,
      comparison: "<=",
      threshold: c * (1 + NORM_RTOL),
      detail: `largest before clipping ${fmt(Math.max(...r.steps.map((s) => s.globalNorm)))}`,
    }),
    claim({
      id: "unchanged-when-within-limit",
      statement: `if the global norm G ≤ ${c} the gradients are unchanged`,
      check: `over the ${within.length} steps with G ≤ ${c}: largest |‖g_i‖ after − ‖g_i‖ before| == 0 (exact)`,
      measured: changed,
      comparison: "==",
      threshold: 0,
    }),
    claim({
      id: "one-factor-for-all-tensors",
      statement: `otherwise every tensor is multiplied by the same factor ${c}/G, keeping directions`,
      check: `over the ${clipped.length} clipped steps: largest relative difference between ‖g_i‖ after ÷ ‖g_i‖ before and ${c}/G ≤ ${NORM_RTOL}`,
      measured: factorError,
      comparison: "<=",
      threshold: NORM_RTOL,
      detail: first ? `first clipped step ${first.iteration}: G ${fmt(first.globalNorm)}, norms before ${first.l2.map(fmt).join(", ")}, after ${first.clippedL2!.map(fmt).join(", ")}` : "no step was clipped",
    }),
    claim({
      id: "large-learning-rate-provokes-clipping",
      statement: "SGD with learning rate 0.1 provokes gradients above the clipping norm",
      check: `number of steps with G > ${c} > 0`,
      measured: clipped.length,
      comparison: ">",
      threshold: 0,
      detail: `${clipped.length} of ${r.steps.length} steps clipped`,
    }),
  ];
}

/** E3: clipping by global norm on MNIST (seed 002). */
export const mnistGlobalNormClipping: Experiment<MnistGlobalNormClippingConfig, MnistGlobalNormClippingResult> = {
  name: NAME,
  id: "E3",
  title: "MNIST with SGD 0.1: gradient norms before and after clipping by global norm 15",
  seedDocument: "002_acb8ae47c278c542.txt",
  defaultSeed: 2,
  atInitPaths: [],
  profiles: {
    full: "MNIST (the mnist package's 8,000/2,000 unless full IDX files are given), 30 passes × 32 steps of 256, norms every step",
    quick: "the first 1,024 train / 500 test rows, 3 passes × 4 steps",
  },
  configSchema: mnistGlobalNormClippingConfigSchema,
  resultSchema: mnistGlobalNormClippingResultSchema,
  config,
  async run(cfg, ctx) {
    const raw = loadMnistFor(ctx);
    const rows = cut(raw, cfg.data);
    const data = { train: oneHotTargets(rows.train), test: oneHotTargets(rows.test!), source: raw.source };
    const full = rows.train.rows === raw.train.rows && rows.test?.rows === raw.test?.rows;
    const runs = await trainRuns(cfg.runs, () => data, ctx);
    return {
      data: dataRecord(data, full, "pixels/255 (as loaded), flattened to 784; labels one-hot as regression targets for mean((y − out)²)"),
      series: { runs },
    };
  },
  summarize(cfg, { runs }) {
    const steps = runs[0].result.steps;
    const clipped = steps.filter((s) => s.globalNorm > clipNorm(cfg));
    return {
      runs: runs.map(summarizeRun),
      steps: steps.length,
      clippedSteps: clipped.length,
      firstClippedIteration: clipped[0]?.iteration ?? -1,
      maxGlobalNormBefore: Math.max(...steps.map((s) => s.globalNorm)),
      maxGlobalNormAfter: Math.max(...steps.map((s) => s.clippedGlobalNorm ?? NaN)),
    };
  },
  claims: (cfg, { runs }) => claimsOf(cfg, runs),
};
