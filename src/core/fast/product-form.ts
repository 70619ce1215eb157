/**
 * How the fast engine takes a layer's matrix product: fused with bias and activation where
 * tf.fused.matMul computes the activation exactly, else plain (matMul, then bias and
 * activation as separate ops). Both passes (tfjs and gemm kernel) follow the same forms, so
 * they round alike.
 */
import * as tf from "@tensorflow/tfjs-core";
import { activate } from "../activations.ts";
import type { ActivationSpec } from "../model-spec.ts";

export type Fusable = "linear" | "relu" | "sigmoid" | "leakyrelu" | "elu";

/** The fused-matMul activation that computes this activation exactly, if any. */
function fusable(a: ActivationSpec): { activation: Fusable; leakyreluAlpha?: number } | null {
  switch (a.name) {
    case "linear": return { activation: "linear" };
    case "relu": return { activation: "relu" };
    case "sigmoid": return { activation: "sigmoid" };
    case "leakyRelu": return { activation: "leakyrelu", leakyreluAlpha: a.alpha };
    case "elu": return a.alpha === 1 ? { activation: "elu" } : null;
    default: return null;
  }
}

/**
 * How a layer's matrix product is taken: fused with its bias and activation (`activation`
 * set), or plain (`activation` null: matMul alone, the bias added and the activation applied
 * afterwards as separate ops, which rounds differently from the fused form).
 */
export interface ProductForm {
  activation: Fusable | null;
  leakyreluAlpha?: number;
  bias: boolean;
}

/**
 * @example
 * productForm({ name: "tanh" }, false, true); // { activation: null, bias: false }: plain
 */
export function productForm(a: ActivationSpec, batchNorm: boolean, hasBias: boolean): ProductForm {
  if (batchNorm) return { activation: "linear", bias: hasBias };
  const f = fusable(a);
  return f ? { ...f, bias: hasBias } : { activation: null, bias: false };
}

/**
 * h·w in the given form.
 *
 * @example
 * const h1 = product(x, w1, b1, productForm({ name: "relu" }, false, true));
 */
export function product(h: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D | undefined, form: ProductForm): tf.Tensor2D {
  if (form.activation === null) return tf.matMul(h, w);
  return tf.fused.matMul({ a: h, b: w, bias: form.bias ? b : undefined, activation: form.activation, leakyreluAlpha: form.leakyreluAlpha }) as tf.Tensor2D;
}

/**
 * What follows a plain-form product: bias, then activation. Takes ownership of `z`.
 *
 * @example
 * const h = finishPlain(tf.matMul(x, w), b, { name: "tanh" });
 */
export function finishPlain(z: tf.Tensor2D, b: tf.Tensor1D | undefined, a: ActivationSpec): tf.Tensor2D {
  const out = tf.tidy(() => activate(a, b ? tf.add(z, b) : z) as tf.Tensor2D);
  if (out !== z) z.dispose();
  return out;
}
