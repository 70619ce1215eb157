/**
 * A model built from its spec: tfjs variables for every parameter and the forward pass.
 * Parameter names: `dense{i}/kernel`, `dense{i}/bias`, `bn{i}/gamma`, `bn{i}/beta`
 * (layers counted from 1); batch-norm moving statistics are non-trainable state.
 */
import * as tf from "@tensorflow/tfjs-core";
import { activate } from "./activations.ts";
import { batchNormInfer, batchNormTrain } from "./batchnorm.ts";
import { fault } from "./fault-points.ts";
import { initialValues } from "./initializers.ts";
import type { LayerSpec, ModelSpec } from "./model-spec.ts";
import { Rng } from "./random.ts";

export type ParameterRole = "kernel" | "bias" | "gamma" | "beta";

/** One trainable tensor of the model. */
export interface Parameter {
  name: string;
  /** 1-based layer index */
  layer: number;
  role: ParameterRole;
  variable: tf.Variable;
}

/** Moving statistics of one batch-normalized layer. */
export interface BatchNormState {
  movingMean: tf.Variable;
  movingVariance: tf.Variable;
}

/**
 * A model built from a spec: its tfjs variables (kernels, biases, batch-norm parameters) and state.
 *
 * @example
 * const model: Model = createModel(denseStack(784, [64, 10], { name: "relu" }, { name: "heNormal" }), new Rng(1));
 */
export interface Model {
  spec: ModelSpec;
  /** trainable parameters, per layer: kernel, bias?, gamma?, beta? */
  parameters: Parameter[];
  /** per layer: moving statistics when the layer is batch-normalized, else null */
  batchNorm: (BatchNormState | null)[];
}

/** Statistics of one training-mode batch-norm layer, for the moving-average update. */
export interface BatchStats {
  layer: number;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** Per-layer tensors kept by `forward` when asked (for variance measurements). */
export interface LayerTrace {
  /** the layer's input */
  input: tf.Tensor2D;
  /** pre-activation (after batch norm when present) */
  preActivation: tf.Tensor2D;
  /** the layer's output h = f(z) */
  output: tf.Tensor2D;
}

let modelCounter = 0;

function layerFans(spec: ModelSpec, i: number): [fanIn: number, fanOut: number] {
  return [i === 0 ? spec.inputSize : spec.layers[i - 1].units, spec.layers[i].units];
}

/**
 * Creates the variables of a model, drawing initial values from `rng` (one named child
 * stream per parameter, so adding a layer never changes another layer's draw).
 *
 * @example
 * const model = createModel(denseStack(784, [30, 10], { name: "relu" }, { name: "heNormal" }), new Rng(7));
 */
export function createModel(spec: ModelSpec, seeded: Rng): Model {
  const id = modelCounter++;
  const rng = fault("model/init-not-from-seed") ? new Rng(Math.floor(Math.random() * 2 ** 32)) : seeded;
  const parameters: Parameter[] = [];
  const batchNorm: (BatchNormState | null)[] = [];
  const add = (layer: number, role: ParameterRole, prefix: string, shape: number[], values: Float32Array) => {
    const name = `${prefix}${layer}/${role}`;
    const variable = tf.tidy(() => tf.variable(tf.tensor(values, shape), true, `m${id}/${name}`));
    parameters.push({ name, layer, role, variable });
  };
  spec.layers.forEach((layer: LayerSpec, i) => {
    const n = i + 1;
    const [fanIn, fanOut] = layerFans(spec, i);
    add(n, "kernel", "dense", [fanIn, fanOut], initialValues(layer.kernelInitializer, fanIn * fanOut, fanIn, fanOut, rng.fork(`dense${n}/kernel`)));
    if (layer.useBias) {
      const init = layer.biasInitializer ?? { name: "zeros" as const };
      add(n, "bias", "dense", [fanOut], initialValues(init, fanOut, fanIn, fanOut, rng.fork(`dense${n}/bias`)));
    }
    if (layer.batchNorm) {
      add(n, "gamma", "bn", [fanOut], new Float32Array(fanOut).fill(1));
      add(n, "beta", "bn", [fanOut], new Float32Array(fanOut));
      batchNorm.push(tf.tidy(() => ({
        movingMean: tf.variable(tf.zeros([fanOut]), false, `m${id}/bn${n}/movingMean`),
        movingVariance: tf.variable(tf.ones([fanOut]), false, `m${id}/bn${n}/movingVariance`),
      })));
    } else {
      batchNorm.push(null);
    }
  });
  return { spec, parameters, batchNorm };
}

/** The parameter of a layer with a role, if the layer has one. */
export function parameterOf(model: Model, layer: number, role: ParameterRole): tf.Variable | undefined {
  return model.parameters.find((p) => p.layer === layer && p.role === role)?.variable;
}

/**
 * The forward pass. In "train" mode batch-norm layers use batch statistics (returned in
 * `batchStats`); in "infer" mode they use the moving averages. With `trace`, every layer's
 * input, pre-activation and output are returned too.
 *
 * @example
 * const { output } = forward(model, x, "infer");
 */
export function forward(
  model: Model,
  x: tf.Tensor2D,
  mode: "train" | "infer",
  options: { trace?: boolean } = {},
): { output: tf.Tensor2D; batchStats: BatchStats[]; trace: LayerTrace[] } {
  const batchStats: BatchStats[] = [];
  const trace: LayerTrace[] = [];
  let h = x;
  model.spec.layers.forEach((layer, i) => {
    const n = i + 1;
    const input = h;
    const weights = parameterOf(model, n, "kernel")!;
    const bias = parameterOf(model, n, "bias");
    let z = tf.matMul(h, weights) as tf.Tensor2D;
    if (bias) z = tf.add(z, bias);
    const bn = layer.batchNorm;
    if (bn) {
      const gamma = parameterOf(model, n, "gamma") as tf.Tensor1D;
      const beta = parameterOf(model, n, "beta") as tf.Tensor1D;
      if (mode === "train" || fault("batchnorm/inference-uses-batch")) {
        const r = batchNormTrain(z, gamma, beta, bn.epsilon);
        batchStats.push({ layer: n, mean: r.mean, variance: r.variance });
        z = r.output;
      } else {
        const state = model.batchNorm[i]!;
        z = batchNormInfer(z, state.movingMean as tf.Tensor1D, state.movingVariance as tf.Tensor1D, gamma, beta, bn.epsilon);
      }
    }
    h = activate(layer.activation, z) as tf.Tensor2D;
    if (options.trace) trace.push({ input, preActivation: z, output: h });
  });
  return { output: h, batchStats, trace };
}

/**
 * Frees every variable of the model.
 *
 * @example
 * const model = createModel(spec, new Rng(1));
 * // … train it, read it …
 * disposeModel(model);
 */
export function disposeModel(model: Model): void {
  model.parameters.forEach((p) => p.variable.dispose());
  model.batchNorm.forEach((s) => {
    s?.movingMean.dispose();
    s?.movingVariance.dispose();
  });
}

/** Reads every trainable parameter's values, by name. */
export async function readParameters(model: Model): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  // A copy: on some backends data() returns the live storage, which training updates in place.
  for (const p of model.parameters) out[p.name] = ((await p.variable.data()) as Float32Array).slice();
  return out;
}
