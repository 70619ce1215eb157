/** Stopping a run on NaN or Inf, with an error that says where. */
import type * as tf from "@tensorflow/tfjs-core";

/** Raised when training meets a non-finite loss or gradient. */
export class NonFiniteError extends Error {
  constructor(
    message: string,
    readonly iteration: number,
    readonly epoch: number,
    readonly tensor: string | null,
  ) {
    super(message);
    this.name = "NonFiniteError";
  }
}

function describe(v: number): string {
  return Number.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
}

/** Row-major index → "[i, j]". */
function position(flat: number, shape: number[]): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]);
    flat = Math.floor(flat / shape[d]);
  }
  return `[${idx.join(", ")}]`;
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
    for (let j = 0; j < values.length; j++) {
      if (!Number.isFinite(values[j])) {
        throw new NonFiniteError(
          `non-finite gradient at iteration ${where.iteration} (epoch ${where.epoch}, batch ${where.batch}): ` +
            `layer ${layers[i]}, tensor ${names[i]}, element ${position(j, gradients[i].shape)} is ${describe(values[j])}`,
          where.iteration,
          where.epoch,
          names[i],
        );
      }
    }
  }
}

/** The error for a non-finite loss; `detail` says which parameter or layer output went first. */
export function nonFiniteLossError(loss: number, where: { iteration: number; epoch: number; batch: number }, detail: string): NonFiniteError {
  return new NonFiniteError(
    `non-finite loss at iteration ${where.iteration} (epoch ${where.epoch}, batch ${where.batch}): loss is ${describe(loss)}; ${detail}`,
    where.iteration,
    where.epoch,
    null,
  );
}
