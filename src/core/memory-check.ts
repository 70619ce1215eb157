/**
 * Whether a model can be trained in the memory there is, decided before anything is
 * allocated: a layer of a billion units should be refused in a millisecond, naming itself,
 * not fail after minutes of swapping (or hang) with "Out of memory".
 */
import { totalmem } from "node:os";
import type { Backend } from "../backend/mod.ts";
import type { ModelSpec } from "./model-spec.ts";
import type { TrainConfig } from "./train-config.ts";

/** Float32 copies of each parameter an optimizer keeps besides the weights and their gradients. */
const OPTIMIZER_SLOTS: Record<TrainConfig["optimizer"]["name"], number> = { sgd: 0, momentum: 1, adam: 2 };

/** How much memory training may use here, and what limits it. */
export interface MemoryLimit {
  bytes: number;
  what: string;
}

/**
 * The limit on `backend`: the most its tensors can take (the wasm heap's maximum) or this
 * machine's memory, whichever is smaller.
 *
 * @example
 * memoryLimit(backend); // on wasm: { bytes: 4294901760, what: "the wasm backend's heap (tfjs-backend-wasm grows it to at most 4.0 GiB)" }
 */
export function memoryLimit(backend: Pick<Backend, "name" | "heapMaxBytes">): MemoryLimit {
  const host = totalmem();
  const machine = `this machine's memory (${formatBytes(host)})`;
  if (backend.heapMaxBytes !== null && backend.heapMaxBytes < host) {
    return { bytes: backend.heapMaxBytes, what: `the ${backend.name} backend's heap (tfjs-backend-${backend.name} grows it to at most ${formatBytes(backend.heapMaxBytes)})` };
  }
  return { bytes: host, what: machine };
}

/** A lower bound on the bytes one layer needs while training. */
export interface LayerMemory {
  /** 1-based */
  layer: number;
  fanIn: number;
  units: number;
  parameters: number;
  bytes: number;
}

/**
 * What training needs at least, per layer: float32 weights, their gradients and the
 * optimizer's slots for every parameter, and a batch's activations and their gradients.
 * The engines keep more (host copies, the kernel's memory), so this is a floor, never a
 * reason to refuse a model that fits.
 *
 * @example
 * trainingMemory(spec, config).reduce((n, l) => n + l.bytes, 0);
 */
export function trainingMemory(spec: ModelSpec, config: Pick<TrainConfig, "optimizer" | "batchSize">): LayerMemory[] {
  const copies = 2 + OPTIMIZER_SLOTS[config.optimizer.name];
  return spec.layers.map((layer, i) => {
    const fanIn = i === 0 ? spec.inputSize : spec.layers[i - 1]!.units;
    const units = layer.units;
    const parameters = fanIn * units + (layer.useBias ? units : 0) + (layer.batchNorm ? 2 * units : 0);
    const state = layer.batchNorm ? 2 * units : 0; // moving mean and variance
    return { layer: i + 1, fanIn, units, parameters, bytes: 4 * (parameters * copies + state + 2 * config.batchSize * units) };
  });
}

/**
 * Throws, before anything is allocated, when training `spec` needs more memory than
 * `backend`'s limit (or `limit`): the message names the largest layer, its size and the
 * memory it needs.
 *
 * @example
 * checkTrainingFits(spec, config, backend); // throws "… layer 1 (784 → 1,000,000,000 units, …) needs at least 13 TiB …"
 */
export function checkTrainingFits(spec: ModelSpec, config: Pick<TrainConfig, "optimizer" | "batchSize">, backend: Pick<Backend, "name" | "heapMaxBytes">, limit: MemoryLimit = memoryLimit(backend)): void {
  const layers = trainingMemory(spec, config);
  const total = layers.reduce((n, l) => n + l.bytes, 0);
  if (total <= limit.bytes) return;
  const big = layers.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const slots = OPTIMIZER_SLOTS[config.optimizer.name];
  throw new Error(
    `the model does not fit in memory: layer ${big.layer} (${big.fanIn.toLocaleString("en-US")} → ${big.units.toLocaleString("en-US")} units, ` +
      `${big.parameters.toLocaleString("en-US")} parameters) needs at least ${formatBytes(big.bytes)} to train with ${config.optimizer.name} ` +
      `(float32 weights, gradients${slots ? ` and ${slots} optimizer slot${slots > 1 ? "s" : ""}` : ""} per parameter, and a batch of ` +
      `${config.batchSize} rows' activations)${layers.length > 1 ? `, the whole model at least ${formatBytes(total)}` : ""}, ` +
      `but ${limit.what} holds at most ${formatBytes(limit.bytes)}; make the layer smaller`,
  );
}

/**
 * A size in bytes for messages.
 *
 * @example
 * formatBytes(2 ** 32); // "4.0 GiB" ("731 MiB", "13 TiB")
 */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  let i = 0;
  while (bytes >= 1024 && i < units.length - 1) (bytes /= 1024), i++;
  return i === 0 ? `${bytes} bytes` : `${bytes.toFixed(bytes < 10 ? 1 : 0)} ${units[i]}`;
}
