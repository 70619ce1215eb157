/**
 * A test double of a GPU that flushes subnormals to zero (as WGSL permits and NVIDIA's Vulkan
 * driver does): every cpu kernel is wrapped so that its float32 inputs and outputs have their
 * subnormal values replaced by ±0. The tensors a law creates keep their bits (an upload does
 * not flush; an operation does), as on the GPU. Lets the laws be checked against flushing on a
 * machine without such a GPU.
 */
import * as tf from "@tensorflow/tfjs-core";
import { replaceKernel } from "../../src/backend/testing.ts";
import { F32_MIN_NORMAL } from "../tolerance.ts";

/** The slice of tfjs-backend-cpu a wrapper reads and writes. */
interface CpuData {
  data: { get(dataId: object): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
  disposeData(dataId: object): void;
}

function subnormal(v: number): boolean {
  return v !== 0 && Math.abs(v) < F32_MIN_NORMAL;
}

function valuesOf(backend: CpuData, t: tf.TensorInfo): Float32Array | null {
  if (t.dtype !== "float32") return null;
  const values = backend.data.get(t.dataId)?.values;
  return values instanceof Float32Array ? values : null;
}

/** `original`, seeing its subnormal float32 inputs as ±0 and flushing its own subnormal results. */
function flushing(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as unknown as CpuData;
    const copies: tf.TensorInfo[] = [];
    const flushInput = (t: tf.TensorInfo): tf.TensorInfo => {
      const values = valuesOf(backend, t);
      if (!values || !values.some(subnormal)) return t;
      const copy = backend.makeTensorInfo(t.shape, "float32", values.map((v) => (subnormal(v) ? 0 * Math.sign(v) : v)));
      copies.push(copy);
      return copy;
    };
    const inputs = Array.isArray(args.inputs)
      ? (args.inputs as tf.TensorInfo[]).map(flushInput)
      : Object.fromEntries(Object.entries(args.inputs).map(([k, t]) => [k, t && flushInput(t)]));
    const result = original({ ...args, inputs: inputs as tf.NamedTensorInfoMap });
    for (const out of Array.isArray(result) ? result : [result]) {
      const values = valuesOf(backend, out);
      if (values) for (let i = 0; i < values.length; i++) if (subnormal(values[i]!)) values[i] = 0 * Math.sign(values[i]!);
    }
    for (const copy of copies) backend.disposeData(copy.dataId);
    return result;
  };
}

/**
 * Makes every cpu kernel flush subnormals until the returned function is called.
 *
 * @example
 * const restore = flushSubnormalsOnCpu(); try { … } finally { restore(); }
 */
export function flushSubnormalsOnCpu(): () => void {
  const restores = tf.getKernelsForBackend("cpu").map((k) => replaceKernel(k.kernelName, "cpu", flushing));
  return () => restores.reverse().forEach((restore) => restore());
}
