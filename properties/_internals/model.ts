/**
 * Building and probing small models through the core: models with given weights, the
 * forward pass as an injectable function, input gradients by tf.grad, norms in float64.
 */
import * as tf from "@tensorflow/tfjs-core";
import {
  type ActivationSpec, createModel, forward, type InitializerSpec, type Model, type ModelSpec, Rng,
} from "../../src/core/mod.ts";

import type { ForwardPass } from "../implementations.ts";

/** The core's forward pass in training mode. */
export const coreForward: ForwardPass = (model, x) => forward(model, x, "train").output;


/**
 * A model with the given parameter values (in `model.parameters` order).
 *
 * @example
 * const m = modelWithWeights(spec, [kernel1, kernel2]);
 */
export function modelWithWeights(spec: ModelSpec, values: Float32Array[]): Model {
  const model = createModel(spec, new Rng(0));
  if (values.length !== model.parameters.length) {
    throw new Error(`modelWithWeights: ${values.length} arrays for ${model.parameters.length} parameters`);
  }
  tf.tidy(() => model.parameters.forEach((p, i) => p.variable.assign(tf.tensor(values[i], p.variable.shape))));
  return model;
}

/**
 * ∂(Σ v ⊙ f(x))/∂x by tf.grad through f (a forward pass, a layer), on the active backend, for
 * `rows` rows of x and of v.
 *
 * @example
 * const g = await inputGradient((x) => coreForward(model, x), x, 1, v);
 */
export async function inputGradient(f: (x: tf.Tensor2D) => tf.Tensor, x: Float32Array, rows: number, v: Float32Array): Promise<Float32Array> {
  const xt = tf.tensor2d(x, [rows, x.length / rows]);
  const vt = tf.tensor2d(v, [rows, v.length / rows]);
  const g = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t as tf.Tensor2D), vt)))(xt));
  const out = (await g.data()) as Float32Array;
  tf.dispose([xt, vt, g]);
  return out;
}

/**
 * ‖a‖₂ in float64.
 *
 * @example
 * norm2([3, 4]); // 5
 */
export function norm2(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/**
 * n normal draws (σ = scale) as float32.
 *
 * @example
 * const x = normals(new Rng(1), 16);
 */
export function normals(rng: Rng, n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => scale * rng.normal());
}

/**
 * A stack of `depth` dense layers of `width` units, all with the same activation and kernel
 * initializer, no biases: the deep stacks of Glorot & Bengio (2010).
 *
 * @example
 * const spec = deepStack(256, 10, { name: "tanh" }, { name: "glorotUniform" });
 */
export function deepStack(width: number, depth: number, activation: ActivationSpec, kernelInitializer: InitializerSpec): ModelSpec {
  return {
    inputSize: width,
    layers: Array.from({ length: depth }, () => ({ units: width, activation, kernelInitializer, useBias: false })),
  };
}

/**
 * Every layer's pre-activations and outputs for a batch, by the core's traced forward pass.
 *
 * @example
 * const layers = await tracedLayers(model, x, 16);
 */
export async function tracedLayers(model: Model, x: Float32Array, rows: number): Promise<{ z: Float32Array; h: Float32Array }[]> {
  const xt = tf.tensor2d(x, [rows, x.length / rows]);
  const { trace } = forward(model, xt, "train", { trace: true });
  const out = [];
  for (const t of trace) out.push({ z: (await t.preActivation.data()) as Float32Array, h: (await t.output.data()) as Float32Array });
  tf.dispose([xt, ...trace.flatMap((t) => [t.preActivation, t.output])]);
  return out;
}

/**
 * mean(a²) in float64.
 *
 * @example
 * meanSquare([1, -1, 2]); // 2
 */
export function meanSquare(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s / a.length;
}
