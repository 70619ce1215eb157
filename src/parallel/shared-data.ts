/**
 * Training data in SharedArrayBuffers, so that workers read one copy instead of each getting
 * its own (Fashion-MNIST's training set alone is 188 MB as float32).
 */
import type { Dataset, TrainData } from "../core/mod.ts";

function shared<T extends Float32Array | Int32Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = new (a.constructor as { new (b: SharedArrayBuffer): T })(new SharedArrayBuffer(a.byteLength));
  copy.set(a);
  return copy;
}

function sharedDataset(ds: Dataset): Dataset {
  const y: Dataset["y"] = ds.y.kind === "classes"
    ? { ...ds.y, labels: shared(ds.y.labels) }
    : { ...ds.y, values: shared(ds.y.values) };
  return { ...ds, x: shared(ds.x), y };
}

/**
 * The same data with every array moved into shared memory (arrays already shared are kept).
 *
 * @example
 * const data = sharedTrainData(loadFashionMnist({}));
 */
export function sharedTrainData(data: TrainData): TrainData {
  const out: TrainData = { train: sharedDataset(data.train), source: data.source };
  if (data.test) out.test = sharedDataset(data.test);
  return out;
}
