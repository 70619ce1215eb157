/**
 * The engines' laws run on the code that trains: every engine `train` can use on the active
 * backend (autodiff everywhere; the fast engine's tfjs pass where tensors live in host memory;
 * its kernel pass where gradlab's gemm kernel gives the backend's own matMul bits), driven
 * through the Engine interface as the training loop drives it (compute → stats → gradient
 * values → update), on small generated nets and batches.
 */
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { chosenBackend } from "../../src/backend/mod.ts";
import {
  type ActivationSpec, batchTensors, createModel, type Dataset, disposeModel, type Engine, fastDenseUnsupported, gatherBatch, lossAndGradients,
  type LossName, type Model, type ModelSpec, type OptimizerSpec, type PreparedEngine, prepareEngine, readParameters, Rng, type TrainConfig,
} from "../../src/core/mod.ts";
import { seed32, uniformReal } from "./arbitraries.ts";
import { expect } from "./expect.ts";

/** An engine as `train` would run it. */
export type EngineUnderTest = "autodiff" | "fast-dense, tfjs pass" | "fast-dense, kernel pass";

/**
 * The engines `train` can use for a spec on the active backend (the kernel pass only for nets
 * without batch norm, on file-order batches).
 *
 * @example
 * enginesFor(spec); // on wasm: ["autodiff", "fast-dense, tfjs pass", "fast-dense, kernel pass"]
 */
export function enginesFor(spec: ModelSpec): EngineUnderTest[] {
  const backend = chosenBackend();
  const out: EngineUnderTest[] = ["autodiff"];
  if (fastDenseUnsupported(backend) !== null) return out;
  out.push("fast-dense, tfjs pass");
  if (backend.wasmGemm && !spec.layers.some((l) => l.batchNorm)) out.push("fast-dense, kernel pass");
  return out;
}

/**
 * The engine on `model`, prepared for `train` as training prepares it (prepareEngine), on the
 * backend the harness chose.
 *
 * @example
 * const prepared = await prepareEngineUnderTest("fast-dense, kernel pass", model, config, data);
 */
export function prepareEngineUnderTest(kind: EngineUnderTest, model: Model, config: TrainConfig, train: Dataset): Promise<PreparedEngine> {
  const backend = chosenBackend();
  switch (kind) {
    case "autodiff": return prepareEngine(model, config, train, { backend, engine: "autodiff" });
    case "fast-dense, tfjs pass": return prepareEngine(model, config, train, { backend, engine: "fast-dense", products: "tfjs ops" });
    case "fast-dense, kernel pass": return prepareEngine(model, config, train, { backend, engine: "fast-dense", products: "gemm kernel" });
  }
}

/** The activations the engines handle, in each of the fast engine's product forms (fused or plain). */
const ACTIVATIONS: ActivationSpec[] = [
  { name: "linear" }, { name: "sigmoid" }, { name: "tanh" }, { name: "relu" }, { name: "selu" },
  { name: "leakyRelu", alpha: 0.2 }, { name: "elu", alpha: 1 }, { name: "elu", alpha: 0.5 },
];

/** A generated dense net and the rows of its batches. */
export interface NetCase {
  spec: ModelSpec;
  loss: LossName;
  rows: number;
  /**
   * batches in file order, which the fast engine reads with Xᵀ, or gathered through an
   * (identity) permutation as shuffled batches are, without it (the kernel pass always gets them in file order)
   */
  transposed: boolean;
  seed: number;
}

/**
 * Small dense nets (0–2 hidden layers of 1–6 units, a linear output layer), every activation,
 * with or without biases and batch norm, MSE or softmax cross-entropy, 2–12 rows a batch.
 *
 * @example
 * fc.sample(netCases(), 1);
 */
export function netCases(options: { batchNorm?: boolean } = {}): fc.Arbitrary<NetCase> {
  return fc.record({
    inputSize: fc.integer({ min: 1, max: 6 }),
    widths: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 2 }),
    outputs: fc.integer({ min: 1, max: 4 }),
    activation: fc.constantFrom(...ACTIVATIONS),
    useBias: fc.boolean(),
    batchNorm: options.batchNorm === false ? fc.constant(false) : fc.boolean(),
    loss: fc.constantFrom<LossName>("mse", "softmaxCrossEntropy"),
    rows: fc.integer({ min: 2, max: 12 }),
    transposed: fc.boolean(),
    seed: seed32(),
  }).map(({ inputSize, widths, outputs, activation, useBias, batchNorm, loss, rows, transposed, seed }) => {
    const units = [...widths, outputs];
    const spec: ModelSpec = {
      inputSize,
      layers: units.map((u, i) => ({
        units: u,
        activation: i === units.length - 1 ? { name: "linear" } : activation,
        kernelInitializer: { name: "glorotUniform" },
        biasInitializer: { name: "randomUniform", limit: 0.5 },
        useBias,
        // hidden layers only: batch norm before a loss that is affine in x̂ cancels to rounding noise
        ...(batchNorm && i < units.length - 1 ? { batchNorm: { momentum: 0.9, epsilon: 1e-3 } } : {}),
      })),
    };
    return { spec, loss, rows, transposed, seed };
  });
}

/**
 * Every optimizer with random hyper-parameters: learning rates over four decades, momentum in
 * [0, 0.99] with or without Nesterov, Adam's β1 ∈ [0, 0.99], β2 ∈ [0.5, 0.9999], ε ∈ [1e-8, 0.1].
 *
 * @example
 * fc.sample(optimizerSpecs(), 3);
 */
export function optimizerSpecs(): fc.Arbitrary<OptimizerSpec> {
  const rate = uniformReal(-4, 0).map((e) => 10 ** e);
  return fc.oneof(
    fc.record({ name: fc.constant("sgd" as const), learningRate: rate }),
    fc.record({ name: fc.constant("momentum" as const), learningRate: rate, momentum: uniformReal(0, 0.99), nesterov: fc.boolean() }),
    fc.record({
      name: fc.constant("adam" as const),
      learningRate: uniformReal(-4, -1).map((e) => 10 ** e),
      beta1: uniformReal(0, 0.99),
      beta2: uniformReal(0.5, 0.9999),
      epsilon: uniformReal(-8, -1).map((e) => 10 ** e),
    }),
  );
}

/**
 * `batches` batches of the case's rows: N(0, 1) inputs, N(0, 1) targets (MSE) or uniform labels.
 *
 * @example
 * const ds = caseData(c, 3);
 */
export function caseData(c: NetCase, batches: number): Dataset {
  const rng = new Rng(c.seed).fork("data");
  const rows = c.rows * batches;
  const outputs = c.spec.layers[c.spec.layers.length - 1].units;
  const x = Float32Array.from({ length: rows * c.spec.inputSize }, () => rng.normal());
  const y: Dataset["y"] = c.loss === "mse"
    ? { kind: "regression", values: Float32Array.from({ length: rows * outputs }, () => rng.normal()), outputs }
    : { kind: "classes", labels: Int32Array.from({ length: rows }, () => rng.int(outputs)), classes: outputs };
  return { x, rows, features: c.spec.inputSize, y };
}

/** A training config for the case: one epoch of its batches in file order, recording every step. */
export function caseConfig(c: NetCase, optimizer: OptimizerSpec, clipping: TrainConfig["clipping"] = { name: "none" }): TrainConfig {
  return { loss: c.loss, optimizer, batchSize: c.rows, epochs: 1, shuffle: false, clipping, seed: c.seed, record: { every: 1 } };
}

/** What one training step of an engine showed: its gradients and the parameters before and after. */
export interface ObservedStep {
  /** the batch's loss, as `compute` returned it */
  loss: number;
  /** the step's gradients, per parameter in its own layout */
  gradients: Float32Array[];
  before: Float32Array[];
  after: Float32Array[];
  stats: Awaited<ReturnType<Engine["stats"]>>;
  /** the batch-normalized layers' moving mean and variance, in layer order, before and after the step */
  movingBefore: Float32Array[];
  movingAfter: Float32Array[];
}

/**
 * Runs `steps` training steps of an engine on a fresh model (initialized from the case's
 * seed, so every engine starts from the same bits) and hands each to `check`, then frees
 * everything. Every step must keep the Engine contract: the engine says what it is and what
 * computed its products, and `compute` returns a finite loss ≥ 0 and the count of correct
 * predictions (an integer in [0, rows]; 0 for regression).
 *
 * @example
 * await eachStep("autodiff", c, config, 2, (step, s) => { … });
 */
export async function eachStep(
  kind: EngineUnderTest,
  c: NetCase,
  config: TrainConfig,
  steps: number,
  check: (step: ObservedStep, index: number, model: Model) => void | Promise<void>,
): Promise<void> {
  const data = caseData(c, steps);
  const order = kind === "fast-dense, kernel pass" || c.transposed ? null : Int32Array.from({ length: data.rows }, (_, i) => i);
  const model = createModel(c.spec, new Rng(c.seed).fork("init"));
  let prepared: PreparedEngine | null = null;
  try {
    prepared = await prepareEngineUnderTest(kind, model, config, data);
    const { engine } = prepared;
    const moving = async () => {
      const states = model.batchNorm.flatMap((b) => (b ? [b.movingMean, b.movingVariance] : []));
      return Promise.all(states.map(async (v) => ((await v.data()) as Float32Array).slice()));
    };
    for (let s = 0; s < steps; s++) {
      const movingBefore = await moving();
      const { loss, hits } = await engine.compute(prepared.batch(order, s * c.rows, c.rows), { iteration: s, epoch: 1, batch: s });
      const at = `${kind}, step ${s + 1}`;
      expect(engine.name === (kind === "autodiff" ? "autodiff" : "fast-dense"), () => `${at}: the engine calls itself ${engine.name}`);
      expect(engine.products === (kind === "fast-dense, kernel pass" ? "gemm kernel" : "tfjs ops"), () => `${at}: products by ${engine.products}`);
      expect(Number.isFinite(loss) && loss >= 0, () => `${at}: compute returned the loss ${loss}`);
      expect(Number.isInteger(hits) && hits >= 0 && hits <= (c.loss === "mse" ? 0 : c.rows), () => `${at}: compute returned ${hits} correct of ${c.rows} rows`);
      const stats = await engine.stats();
      const gradients = (await engine.gradientValues()).map((g) => Float32Array.from(g));
      const before = Object.values(await readParameters(model));
      engine.update();
      const after = Object.values(await readParameters(model));
      await check({ loss, gradients, before, after, stats, movingBefore, movingAfter: await moving() }, s, model);
    }
  } finally {
    prepared?.dispose();
    disposeModel(model);
  }
}

/** How a generated clipping is set relative to the first step's gradients. */
export interface ClippingPlan {
  name: "value" | "norm" | "globalNorm";
  /** log10 of the threshold over the norm it is set against */
  logRatio: number;
  /** quantiles of the gradient values that bound clipping by value */
  lowQuantile: number;
  highQuantile: number;
}

/**
 * Clippings of every kind, around the gradients' own size so that some steps and tensors are
 * clipped and some not.
 *
 * @example
 * fc.sample(clippingPlans(), 3);
 */
export function clippingPlans(): fc.Arbitrary<ClippingPlan> {
  return fc.record({
    name: fc.constantFrom("value" as const, "norm" as const, "globalNorm" as const),
    logRatio: uniformReal(-1, 1),
    lowQuantile: uniformReal(0, 0.5),
    highQuantile: uniformReal(0.5, 1),
  });
}

/**
 * The clipping a plan makes for a case, from the first step's gradients (tfjs autodiff on the
 * model every engine starts from): global norm c = G·10^r; per-tensor norm c = the median
 * tensor norm·10^r; by value [lo, hi] at two quantiles of the gradient values, nudged off
 * float32 (so an implementation's float32 bounds differ from the float64 ones).
 *
 * @example
 * const clipping = await clippingFor(c, plan);
 */
export async function clippingFor(c: NetCase, plan: ClippingPlan): Promise<TrainConfig["clipping"]> {
  const grads = await firstGradients(c);
  const scale = 10 ** plan.logRatio;
  const positive = (x: number) => (x > 0 ? x : 1) * scale;
  switch (plan.name) {
    case "globalNorm":
      return { name: "globalNorm", maxNorm: positive(Math.sqrt(grads.reduce((s, g) => s + sumSquares(g), 0))) };
    case "norm": {
      const norms = grads.map((g) => Math.sqrt(sumSquares(g))).sort((a, b) => a - b);
      return { name: "norm", maxNorm: positive(norms[norms.length >> 1]) };
    }
    case "value": {
      const values = grads.flatMap((g) => Array.from(g)).sort((a, b) => a - b);
      const at = (q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))] * (1 + 2 ** -30);
      const lo = at(plan.lowQuantile), hi = at(plan.highQuantile);
      return { name: "value", min: Math.min(lo, hi), max: Math.max(lo, hi) };
    }
  }
}

function sumSquares(g: Float32Array): number {
  let s = 0;
  for (const x of g) s += x * x;
  return s;
}

/** The first step's gradients of a case by tfjs autodiff, per parameter. */
async function firstGradients(c: NetCase): Promise<Float32Array[]> {
  const model = createModel(c.spec, new Rng(c.seed).fork("init"));
  const batch = batchTensors(gatherBatch(caseData(c, 1), null, 0, c.rows), c.spec.inputSize);
  try {
    const r = lossAndGradients(model, batch.x, batch.targets, c.loss);
    const out = await Promise.all(r.gradients.map(async (g) => (await g.data()) as Float32Array));
    tf.dispose([r.loss, r.output, ...r.gradients, ...r.batchStats.flatMap((s) => [s.mean, s.variance])]);
    return out;
  } finally {
    tf.dispose([batch.x, batch.targets, ...(batch.labels ? [batch.labels] : [])]);
    disposeModel(model);
  }
}
