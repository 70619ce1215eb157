/**
 * The run kind `glorot-check` (E2, source 003): the Glorot condition on a train run's net at
 * initialization. For each initializer, per-layer forward and backward variances of the
 * hidden layers, averaged in log over many init draws, on the experiment's training inputs.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { FromSchema } from "json-schema-to-ts";
import { initializerSchema, type ModelSpec, Rng } from "../../core/mod.ts";
import { measureLayerVariances, normalMatrix, perLayerRatio } from "./variance-pairs.ts";

const numbers = { type: "array", items: { type: "number" } } as const;

/** A `glorot-check` run, as written in an experiment file and stored in its config. */
export const glorotCheckRunSchema = {
  type: "object",
  properties: {
    kind: { const: "glorot-check" },
    description: { type: "string" },
    model: { type: "string", description: "the train run whose net is measured (its hidden layers; the last layer is linear)" },
    draws: { type: "integer", minimum: 1 },
    inits: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        properties: { label: { type: "string" }, kernel: initializerSchema, bias: initializerSchema },
        required: ["label", "kernel", "bias"],
        additionalProperties: false,
      },
    },
  },
  required: ["kind", "description", "model", "draws", "inits"],
  additionalProperties: false,
} as const;
export type GlorotCheckRun = FromSchema<typeof glorotCheckRunSchema>;

/** What a `glorot-check` run stores: one entry per initializer. */
export const glorotCheckResultSchema = {
  type: "array",
  items: {
    type: "object",
    properties: {
      label: { type: "string" },
      activationVariance: { ...numbers, description: "geometric mean over draws of Var(h_l), per hidden layer" },
      backwardVariance: { ...numbers, description: "geometric mean over draws of Var(∂L/∂z_l), per hidden layer" },
      forwardRatio: { type: "number" },
      backwardRatio: { type: "number" },
    },
    required: ["label", "activationVariance", "backwardVariance", "forwardRatio", "backwardRatio"],
    additionalProperties: false,
  },
} as const;
export type GlorotCheckResult = FromSchema<typeof glorotCheckResultSchema>;

/** The labels of the entries a run will produce, for checking claims before anything runs. */
export function glorotCheckEntries(run: GlorotCheckRun): Record<string, string>[] {
  return run.inits.map((i) => ({ label: i.label }));
}

/**
 * Measures the net of `model` under each of the run's initializers, `draws` times each, on
 * the training inputs `x` ([rows, inputSize]); draws from `Rng(seed).fork("glorot-check")`.
 *
 * @example
 * const entries = await runGlorotCheck(run, tanhSpec, data.train.x, data.train.rows, 420);
 */
export async function runGlorotCheck(run: GlorotCheckRun, model: ModelSpec, x: Float32Array, rows: number, seed: number): Promise<GlorotCheckResult> {
  const root = new Rng(seed).fork("glorot-check");
  const xs = tf.tensor2d(x, [rows, model.inputSize]);
  const hidden = model.layers.length - 1; // the last layer is linear; compare the hidden layers
  const out: GlorotCheckResult = [];
  try {
    for (const init of run.inits) {
      const spec = { ...model, layers: model.layers.map((l) => ({ ...l, kernelInitializer: init.kernel, biasInitializer: init.bias })) };
      const logF = new Array(hidden).fill(0), logB = new Array(hidden).fill(0);
      for (let d = 0; d < run.draws; d++) {
        const rng = root.fork(`${init.label}/${d}`);
        const r = normalMatrix(rng.fork("r"), rows, 1);
        const v = await measureLayerVariances(spec, xs, r, rng);
        r.dispose();
        for (let l = 0; l < hidden; l++) {
          logF[l] += Math.log(v.activationVariance[l]) / run.draws;
          logB[l] += Math.log(v.backwardVariance[l]) / run.draws;
        }
      }
      const activationVariance = logF.map(Math.exp), backwardVariance = logB.map(Math.exp);
      out.push({
        label: init.label,
        activationVariance,
        backwardVariance,
        forwardRatio: perLayerRatio(activationVariance),
        backwardRatio: perLayerRatio([...backwardVariance].reverse()),
      });
    }
  } finally {
    xs.dispose();
  }
  return out;
}
