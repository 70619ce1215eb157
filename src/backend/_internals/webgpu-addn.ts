/**
 * AddN on WebGPU in groups the device can bind. tfjs-backend-webgpu's AddN shader binds every
 * input and the output as storage buffers, and does not split (its Concat does, by
 * maxStorageBuffersPerShaderStage − 1 inputs at a time); so more inputs than the device
 * allows make a pipeline the device rejects, and a result that was never computed.
 */
import * as tf from "@tensorflow/tfjs-core";

interface DeviceBackend {
  device: { limits: { maxStorageBuffersPerShaderStage: number } };
  disposeData(dataId: object): boolean;
}

/**
 * How many inputs one AddN dispatch may take on a device: every storage buffer but the output's.
 *
 * @example
 * inputsPerAddN(8); // 7
 */
export function inputsPerAddN(maxStorageBuffersPerShaderStage: number): number {
  return Math.max(2, maxStorageBuffersPerShaderStage - 1);
}

/**
 * Replaces the webgpu AddN kernel by one that sums at most `inputsPerAddN` tensors per
 * dispatch with tfjs's own kernel: groups first, then the groups' sums, until one is left.
 * Idempotent.
 *
 * @example
 * installGroupedAddN(); tf.addN(fortyTensors); // 6 dispatches + 1 on a device with 8 storage buffers
 */
export function installGroupedAddN(): void {
  const original = tf.getKernel(tf.AddN, "webgpu");
  if (!original || grouped.has(original.kernelFunc)) return;
  const single = original.kernelFunc;
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const b = backend as unknown as DeviceBackend;
    const most = inputsPerAddN(b.device.limits.maxStorageBuffersPerShaderStage);
    let terms = inputs as unknown as tf.TensorInfo[];
    const partial = new Set<tf.TensorInfo>();
    while (terms.length > most) {
      const next: tf.TensorInfo[] = [];
      for (let i = 0; i < terms.length; i += most) {
        const group = terms.slice(i, i + most);
        if (group.length === 1) {
          next.push(group[0]!);
          continue;
        }
        const sum = single({ inputs: group as unknown as tf.NamedTensorInfoMap, backend, attrs }) as tf.TensorInfo;
        partial.add(sum);
        next.push(sum);
      }
      terms = next;
    }
    const result = single({ inputs: terms as unknown as tf.NamedTensorInfoMap, backend, attrs }) as tf.TensorInfo;
    for (const t of partial) b.disposeData(t.dataId);
    return result;
  };
  grouped.add(kernelFunc);
  tf.unregisterKernel(tf.AddN, "webgpu");
  tf.registerKernel({ ...original, kernelFunc });
}
const grouped = new WeakSet<tf.KernelFunc>();
