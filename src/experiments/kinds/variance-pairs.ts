/**
 * The run kind `variance-pairs` (E6, sources 001 and 003): the Glorot condition as a
 * measurement. At initialization, in a deep stack (every layer with the activation, zero
 * biases), with N(0,1) inputs, measure per layer the variance of the activations h_l (forward)
 * and of the back-propagated gradients δ_l = ∂L/∂z_l (backward), as in Glorot & Bengio (2010),
 * figures 6–7. The loss is L = Σ h_L·r with r ~ N(0,1), so ∂L/∂h_L = r has unit variance.
 * Which activation × init pairs keep the layer-to-layer ratio near 1?
 */
import { createHash } from "node:crypto";
import * as tf from "@tensorflow/tfjs-core";
import type { FromSchema } from "json-schema-to-ts";
import {
  activate,
  type ActivationSpec,
  activationLabel,
  activationSchema,
  createModel,
  derivativeFromOutput,
  disposeModel,
  initializerSchema,
  type InitializerSpec,
  type ModelSpec,
  parameterOf,
  Rng,
} from "../../core/mod.ts";
import type { DataRecord } from "../result.ts";

/** Per-layer variances at initialization (layer 1 first). */
export interface LayerVariances {
  /** variance of the input x */
  inputVariance: number;
  /** mean and variance of each layer's output h_l = f(z_l) over all rows and units */
  activationMean: number[];
  activationVariance: number[];
  /** variance of each layer's pre-activation z_l */
  preActivationVariance: number[];
  /** variance of δ_l = ∂L/∂z_l */
  backwardVariance: number[];
  /** variance of ∂L/∂W_l = h_{l−1}ᵀ δ_l */
  weightGradientVariance: number[];
}

/**
 * Measures per-layer variances of a dense stack at initialization: forward h_l and z_l,
 * backward δ_l = ∂L/∂z_l and ∂L/∂W_l = h_{l−1}ᵀ δ_l, for the loss L = Σ h_L·r. The backward
 * pass is the chain rule written out (δ_l = (δ_{l+1} W_{l+1}ᵀ) ⊙ f'(z_l), with f' from the
 * core's `derivativeFromOutput`) because tfjs's transposed matMuls are slow on wasm; a test
 * checks it against tfjs autodiff. Weights are drawn from `rng.fork("init")` by the training
 * core's initializers. Means and population variances over rows × units are computed on the
 * active backend too, summed per row and then over the rows (`rowWiseMoments`).
 *
 * @example
 * const v = await measureLayerVariances(spec, x, r, new Rng(1));
 * v.backwardVariance; // one number per layer
 */
export async function measureLayerVariances(spec: ModelSpec, x: tf.Tensor2D, r: tf.Tensor2D, rng: Rng): Promise<LayerVariances> {
  if (spec.layers.some((l) => l.batchNorm)) throw new Error("measureLayerVariances: batch normalization is not supported");
  const model = createModel(spec, rng.fork("init"));
  try {
    const stats = tf.tidy(() => {
      const hs: tf.Tensor2D[] = [], zs: tf.Tensor2D[] = [];
      let h = x;
      spec.layers.forEach((layer, i) => {
        const bias = parameterOf(model, i + 1, "bias");
        let z = tf.matMul(h, parameterOf(model, i + 1, "kernel")!) as tf.Tensor2D;
        if (bias) z = tf.add(z, bias);
        h = activate(layer.activation, z) as tf.Tensor2D;
        zs.push(z);
        hs.push(h);
      });
      const deltas: tf.Tensor2D[] = [], weightGrads: tf.Tensor2D[] = [];
      let g: tf.Tensor2D = r; // ∂L/∂h_l, from the top down
      for (let i = spec.layers.length - 1; i >= 0; i--) {
        const delta = tf.mul(g, derivativeFromOutput(spec.layers[i].activation, hs[i])) as tf.Tensor2D;
        deltas[i] = delta;
        weightGrads[i] = tf.matMul(tf.transpose(i === 0 ? x : hs[i - 1]), delta);
        if (i > 0) g = tf.matMul(delta, tf.transpose(parameterOf(model, i + 1, "kernel")!));
      }
      const parts: tf.Tensor[] = [];
      for (const t of [x, ...hs, ...zs, ...deltas, ...weightGrads]) parts.push(...rowWiseMoments(t));
      return tf.stack(parts);
    });
    const s = Array.from(await stats.data());
    stats.dispose();
    const n = spec.layers.length;
    // [mean, variance] of x, then of each layer's h, z, δ and ∂W
    const at = (k: number, i: number) => 2 * (1 + k * n + i);
    const pick = (k: number, which: 0 | 1) => Array.from({ length: n }, (_, i) => s[at(k, i) + which]);
    return {
      inputVariance: s[1],
      activationMean: pick(0, 0),
      activationVariance: pick(0, 1),
      preActivationVariance: pick(1, 1),
      backwardVariance: pick(2, 1),
      weightGradientVariance: pick(3, 1),
    };
  } finally {
    disposeModel(model);
  }
}

/**
 * Mean and population variance of a matrix's elements as two scalars, each sum taken per row
 * and then over the rows: two short float32 sums instead of one long one (tfjs-wasm's sum of
 * E6's 51,200 relu outputs in one reduction was off by 2.2e-4 relative; per row, its error is
 * bounded by (rows + cols)·u, about 3e-5 here).
 */
function rowWiseMoments(t: tf.Tensor): [tf.Scalar, tf.Scalar] {
  const m = t.rank === 2 ? (t as tf.Tensor2D) : tf.reshape(t, [1, -1]) as tf.Tensor2D;
  const count = m.size;
  const mean = tf.div(tf.sum(tf.sum(m, 1)), count) as tf.Scalar;
  const variance = tf.div(tf.sum(tf.sum(tf.square(tf.sub(m, mean)), 1)), count) as tf.Scalar;
  return [mean, variance];
}

/**
 * Geometric mean of the layer-to-layer ratios of a per-layer series (from the first to the
 * last layer): (v_last / v_first)^(1/(layers−1)). Forward: Var(h_{l+1})/Var(h_l); for the
 * backward direction pass the series reversed (δ flows from the top down).
 *
 * @example
 * perLayerRatio([1, 0.5, 0.25]); // 0.5
 */
export function perLayerRatio(series: readonly number[]): number {
  if (series.length < 2) return NaN;
  return (series[series.length - 1] / series[0]) ** (1 / (series.length - 1));
}

/**
 * "Near 1": a geometric-mean ratio per layer within [0.8, 1.25] (a factor 1.25^9 ≈ 7.5 at
 * most over 9 transitions). Wide enough for tanh's slow drift under Glorot init (its forward
 * variance decays roughly like 1/l toward the fixed point 0), narrow enough to reject halving
 * per layer (ReLU under Glorot) and the blow-up of the ×4 gain. E6's file uses this band.
 */
export const VARIANCE_BAND = { low: 0.8, high: 1.25 } as const;

const numbers = { type: "array", items: { type: "number" } } as const;

/** A `variance-pairs` run, as written in an experiment file and stored in its config. */
export const variancePairsRunSchema = {
  type: "object",
  properties: {
    kind: { const: "variance-pairs" },
    description: { type: "string" },
    depth: { type: "integer", minimum: 2 },
    width: { type: "integer", minimum: 1 },
    rows: { type: "integer", minimum: 2, description: "rows of the N(0,1) input (width features each)" },
    dataSeed: {
      type: "integer",
      minimum: 0,
      maximum: 4294967295,
      description: "the seed the N(0,1) inputs and top gradients are drawn from (default: the run's seed); fixed, every seed of a run over seeds measures on the same inputs and draws only the weights",
    },
    band: {
      type: "object",
      description: "a pair keeps variance when the per-layer geometric-mean ratio lies in [low, high], forward and backward",
      properties: { low: { type: "number", exclusiveMinimum: 0 }, high: { type: "number", exclusiveMinimum: 0 } },
      required: ["low", "high"],
      additionalProperties: false,
    },
    activations: { type: "array", items: activationSchema, minItems: 1 },
    inits: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        properties: { label: { type: "string" }, initializer: initializerSchema },
        required: ["label", "initializer"],
        additionalProperties: false,
      },
    },
  },
  required: ["kind", "description", "depth", "width", "rows", "band", "activations", "inits"],
  additionalProperties: false,
} as const;
export type VariancePairsRun = FromSchema<typeof variancePairsRunSchema>;

export const pairMeasurementSchema = {
  type: "object",
  properties: {
    activation: { type: "string" },
    init: { type: "string" },
    inputVariance: { type: "number" },
    activationMean: numbers,
    activationVariance: numbers,
    preActivationVariance: numbers,
    backwardVariance: numbers,
    weightGradientVariance: numbers,
    forwardRatio: { type: "number", description: "(Var h_L / Var h_1)^(1/(L−1))" },
    backwardRatio: { type: "number", description: "(Var δ_1 / Var δ_L)^(1/(L−1))" },
    keepsVariance: { type: "boolean" },
  },
  required: [
    "activation", "init", "inputVariance", "activationMean", "activationVariance", "preActivationVariance",
    "backwardVariance", "weightGradientVariance", "forwardRatio", "backwardRatio", "keepsVariance",
  ],
  additionalProperties: false,
} as const;
export type PairMeasurement = FromSchema<typeof pairMeasurementSchema>;

/** What a `variance-pairs` run stores: one measurement per activation × init, activations outermost. */
export const variancePairsResultSchema = { type: "array", items: pairMeasurementSchema } as const;

/** Its contribution to a result's summary: the pairs inside the band, and the ratio table. */
export const variancePairsSummarySchema = {
  keepVariance: { type: "array", items: { type: "string" }, description: "activation × init pairs inside the band, both directions" },
  table: {
    type: "array",
    items: {
      type: "object",
      properties: {
        activation: { type: "string" },
        init: { type: "string" },
        forwardRatio: { type: "number" },
        backwardRatio: { type: "number" },
        keepsVariance: { type: "boolean" },
      },
      required: ["activation", "init", "forwardRatio", "backwardRatio", "keepsVariance"],
      additionalProperties: false,
    },
  },
} as const;

/** The labels of the entries a run will produce, for checking claims before anything runs. */
export function variancePairsEntries(run: VariancePairsRun): Record<string, string>[] {
  return run.activations.flatMap((a) => run.inits.map((i) => ({ activation: activationLabel(a), init: i.label })));
}

/** The stack measured for one pair: depth × width, every layer with the activation, zero biases. */
export function varianceStack(cfg: { depth: number; width: number }, activation: ActivationSpec, initializer: InitializerSpec): ModelSpec {
  return {
    inputSize: cfg.width,
    layers: Array.from({ length: cfg.depth }, () => ({ units: cfg.width, activation, kernelInitializer: initializer, useBias: true })),
  };
}

/**
 * A rows × cols matrix of N(0,1) draws from `rng`, row by row (then rounded to float32).
 *
 * @example
 * const x = normalMatrix(new Rng(1).fork("input"), 1000, 256);
 */
export function normalMatrix(rng: Rng, rows: number, cols: number): tf.Tensor2D {
  const v = new Float32Array(rows * cols);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  return tf.tensor2d(v, [rows, cols]);
}

const inBand = (x: number, b: { low: number; high: number }) => x >= b.low && x <= b.high;

/**
 * Measures every activation × init pair of the run: inputs from `Rng(d).fork("input")` and top
 * gradients from `fork("top-gradient")`, d the run's `dataSeed` (else the seed), each pair's
 * weights from `Rng(seed).fork("ACTIVATION × INIT")`. Returns the measurements and the
 * generated data's record.
 *
 * @example
 * const { pairs } = await runVariancePairs(run, 2010, (done, label) => console.log(done, label));
 */
/**
 * The seed a variance-pairs run draws its inputs and top gradients from: its `dataSeed`, else
 * the run's seed.
 *
 * @example
 * inputSeedOf({ ...run, dataSeed: 2010 }, 5); // 2010
 */
export function inputSeedOf(run: VariancePairsRun, runSeed: number): number {
  return run.dataSeed ?? runSeed;
}

export async function runVariancePairs(
  run: VariancePairsRun,
  seed: number,
  onPair: (done: number, label: string) => void = () => {},
): Promise<{ pairs: PairMeasurement[]; data: DataRecord }> {
  const root = new Rng(seed);
  const dataSeed = inputSeedOf(run, seed);
  const dataRoot = new Rng(dataSeed);
  const x = normalMatrix(dataRoot.fork("input"), run.rows, run.width);
  const r = normalMatrix(dataRoot.fork("top-gradient"), run.rows, run.width);
  const pairs: PairMeasurement[] = [];
  try {
    for (const act of run.activations) {
      for (const init of run.inits) {
        const label = `${activationLabel(act)} × ${init.label}`;
        const v = await measureLayerVariances(varianceStack(run, act, init.initializer), x, r, root.fork(label));
        const forwardRatio = perLayerRatio(v.activationVariance);
        const backwardRatio = perLayerRatio([...v.backwardVariance].reverse());
        pairs.push({
          activation: activationLabel(act),
          init: init.label,
          ...v,
          forwardRatio,
          backwardRatio,
          keepsVariance: inBand(forwardRatio, run.band) && inBand(backwardRatio, run.band),
        });
        onPair(pairs.length, label);
      }
    }
  } finally {
    tf.dispose([x, r]);
  }
  const params = { generator: "N(0,1) inputs and top gradients", rows: run.rows, width: run.width, seed: dataSeed, streams: ["input", "top-gradient"] };
  return {
    pairs,
    data: {
      source: {
        name: "generated-normal",
        location: "generated",
        sha256: createHash("sha256").update(JSON.stringify(params)).digest("hex"),
        description: `x: ${run.rows} × ${run.width} iid N(0,1) from Rng(${dataSeed}).fork("input"); r = ∂L/∂h_L: the same shape from fork("top-gradient"); sha256 of these parameters`,
      },
      full: true,
      trainRows: run.rows,
      testRows: 0,
      features: run.width,
      preprocessing: "none",
    },
  };
}

/** The pairs inside the band and the ratio table, for a result's summary. */
export function variancePairsSummary(pairs: PairMeasurement[]) {
  return {
    keepVariance: pairs.filter((p) => p.keepsVariance).map((p) => `${p.activation} × ${p.init}`),
    table: pairs.map(({ activation, init, forwardRatio, backwardRatio, keepsVariance }) => ({ activation, init, forwardRatio, backwardRatio, keepsVariance })),
  };
}
