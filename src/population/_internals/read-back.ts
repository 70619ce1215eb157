/**
 * Reading tensors back from the backend in one transfer: on a GPU each read waits for the
 * queue and maps a buffer (~11 ms on an H200 under Deno), whatever its size, so the population
 * engine gathers everything a recording step or an epoch's end needs into one read.
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * The values of every tensor (float32 or bool), flattened, with a single read.
 *
 * @example
 * const [losses, firstBad] = await readTogether([stepLosses, firstBadIteration]);
 */
export async function readTogether(tensors: readonly tf.Tensor[]): Promise<Float32Array[]> {
  if (tensors.length === 0) return [];
  const joined = tf.tidy(() => tf.concat(tensors.map((t) => tf.reshape(t.dtype === "float32" ? t : tf.cast(t, "float32"), [-1]))));
  const all = (await joined.data()) as Float32Array;
  joined.dispose();
  const out: Float32Array[] = [];
  let at = 0;
  for (const t of tensors) {
    out.push(all.slice(at, at + t.size));
    at += t.size;
  }
  return out;
}
