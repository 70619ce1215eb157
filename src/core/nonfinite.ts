/** Stopping a run on NaN or Inf, with an error that says where. */
import type * as tf from "@tensorflow/tfjs-core";

/** "NaN", "+Inf" or "-Inf": how a non-finite value is written in messages and run logs. */
export type NonFiniteValue = "NaN" | "+Inf" | "-Inf";

/**
 * Where a run stopped, as plain data (the run log's last line carries it). For a gradient:
 * the layer, tensor and element of the first non-finite value. For a loss: the first
 * parameter holding a non-finite value, else the first layer output that does (its tensor is
 * null, its element [row, unit]), else all null (the loss itself overflowed).
 */
export interface NonFiniteLocation {
  kind: "loss" | "gradient";
  iteration: number;
  epoch: number;
  batch: number;
  /** the loss's value for kind "loss", the gradient element's for kind "gradient" */
  value: NonFiniteValue;
  layer: number | null;
  tensor: string | null;
  element: number[] | null;
}

/** Where the forward pass first went non-finite, in words and as data (for a non-finite loss). */
export interface ForwardLocation {
  text: string;
  layer: number | null;
  tensor: string | null;
  element: number[] | null;
  /** the value found there */
  value: NonFiniteValue | null;
}

/**
 * Raised when training meets a non-finite loss or gradient.
 *
 * @example
 * try { await train(spec, config, data); } catch (e) { if (e instanceof NonFiniteError) console.error(e.message); }
 */
export class NonFiniteError extends Error {
  constructor(
    message: string,
    readonly iteration: number,
    readonly epoch: number,
    readonly tensor: string | null,
    /** the stop as data; absent where only the message travelled (a parallel worker's error) */
    readonly location?: NonFiniteLocation,
  ) {
    super(message);
    this.name = "NonFiniteError";
  }
}

/**
 * How a non-finite number is written.
 *
 * @example
 * describeNonFinite(-Infinity); // "-Inf"
 */
export function describeNonFinite(v: number): NonFiniteValue {
  return Number.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
}

/**
 * Row-major index → its coordinates.
 *
 * @example
 * elementAt(7, [2, 3]); // [2, 1]
 */
export function elementAt(flat: number, shape: readonly number[]): number[] {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]);
    flat = Math.floor(flat / shape[d]);
  }
  return idx;
}

/** Index of the first non-finite value, or -1. */
export function firstNonFiniteIndex(values: ArrayLike<number>): number {
  for (let j = 0; j < values.length; j++) if (!Number.isFinite(values[j])) return j;
  return -1;
}

/**
 * Finds the first gradient holding a non-finite value and throws a NonFiniteError naming the
 * iteration, the layer, the tensor and the element. Called only once a cheap probe saw one.
 */
export async function throwOnNonFiniteGradient(
  names: string[],
  layers: number[],
  gradients: tf.Tensor[],
  where: { iteration: number; epoch: number; batch: number },
): Promise<void> {
  for (let i = 0; i < gradients.length; i++) {
    const values = await gradients[i].data();
    const j = firstNonFiniteIndex(values);
    if (j < 0) continue;
    const element = elementAt(j, gradients[i].shape);
    const value = describeNonFinite(values[j]);
    throw new NonFiniteError(
      `non-finite gradient at iteration ${where.iteration} (epoch ${where.epoch}, batch ${where.batch}): ` +
        `layer ${layers[i]}, tensor ${names[i]}, element [${element.join(", ")}] is ${value}`,
      where.iteration,
      where.epoch,
      names[i],
      { kind: "gradient", ...where, value, layer: layers[i], tensor: names[i], element },
    );
  }
}

/** The error for a non-finite loss; `detail` says which parameter or layer output went first. */
export function nonFiniteLossError(loss: number, where: { iteration: number; epoch: number; batch: number }, detail: string | ForwardLocation): NonFiniteError {
  const found: ForwardLocation = typeof detail === "string" ? { text: detail, layer: null, tensor: null, element: null, value: null } : detail;
  const value = describeNonFinite(loss);
  return new NonFiniteError(
    `non-finite loss at iteration ${where.iteration} (epoch ${where.epoch}, batch ${where.batch}): loss is ${value}; ${found.text}`,
    where.iteration,
    where.epoch,
    null,
    { kind: "loss", ...where, value, layer: found.layer, tensor: found.tensor, element: found.element },
  );
}
