/**
 * The fast engine, entered here and only here (architecture.test.ts checks that nothing
 * outside src/core/fast/ imports another of its files). `prepareFastEngine` owns everything
 * the engine's speed rests on: the batch layout (file-order batches transposed once), the gemm
 * kernel's memory (where, on wasm, those batches, the parameters and every product live) and
 * the helper thread; the rest of gradlab sees an Engine and batches.
 *
 * What it computes is the autodiff engine's math (dense-engine.ts says how it is arranged);
 * where it runs the gemm kernel it gives tfjs-wasm's own bits (kernel-pass.ts).
 */
import { availableCores, type Backend, hasWebWorkers } from "../../backend/mod.ts";
import type { ActivationSpec } from "../model-spec.ts";
import type { Dataset } from "../dataset.ts";
import type { PreparedEngine } from "../engine.ts";
import type { Model } from "../model.ts";
import type { ModelSpec } from "../model-spec.ts";
import type { TrainConfig } from "../train-config.ts";
import { type BatchLayout, laidOutBatch, transposedBatches } from "./batch-layout.ts";
import { fastDenseEngine, fastDenseUnsupported } from "./dense-engine.ts";
import { createKernelModule, gemmAllocatedBytes, type KernelModule } from "./kernels/gemm.ts";
import { type GemmHelper, startGemmHelper } from "./kernels/gemm-helper.ts";

export type { BatchLayout } from "./batch-layout.ts";
export { fastDenseUnsupported } from "./dense-engine.ts";

/** How the fast engine runs (`prepareFastEngine`; `prepareEngine` takes the same). */
export interface FastEngineOptions {
  /** the backend the run computes on, as the edge chose it */
  backend: Backend;
  /**
   * Threads for the run, at most 2: 2 lets the engine split its first layer's products with a
   * helper thread (gemm kernel and file-order batches only; elsewhere 1); results are bitwise
   * the same as with 1. "auto" (default): see `threadsFor`. A number asks for it: a helper
   * that cannot start is then an error, where "auto" goes on with one thread.
   */
  threads?: number | "auto";
  /**
   * What computes the products of a step on a file-order batch of a net without batch norm:
   * "auto" (default) the gemm kernel where it gives the backend's own matMul bits (wasm), else
   * tfjs ops; or either, forced (tests compare the two).
   */
  products?: "auto" | "tfjs ops" | "gemm kernel";
  /** The layout `sharedBatchLayout` made for this training set, shared among runs (made here otherwise). */
  layout?: BatchLayout | null;
}

/** First-layer work (multiply-adds of X·W₁ and Xᵀ·C₁ over the whole run) above which "auto" starts a helper (several seconds of one core). */
const HELPER_MIN_MACS = 2.5e10;

/**
 * The threads a fast-engine run gets (see FastEngineOptions.threads): 2 under "auto" where the
 * backend's matMul is the gemm kernel's, batches come in file order, the machine has a spare
 * core, the runtime has Web Workers (Bun, Deno) and the run is long enough to repay starting
 * the helper and its warm-up; else 1.
 *
 * @example
 * threadsFor(spec, config, 60000, "auto", backend); // 2 for E1 on wasm with a spare core
 */
export function threadsFor(spec: ModelSpec, config: TrainConfig, rows: number, threads: number | "auto", backend: Backend): number {
  if (!backend.wasmGemm || config.shuffle) return 1;
  if (threads !== "auto") {
    const n = Math.min(2, Math.max(1, Math.floor(threads)));
    if (n > 1 && !hasWebWorkers()) throw new Error(`threads: ${threads} needs a Web Worker for the helper thread, which this runtime (Node) lacks: use threads 1 or "auto", or Bun or Deno`);
    return n;
  }
  if (availableCores() < 2 || !hasWebWorkers()) return 1; // the helper is a Web Worker: none under Node
  const macs = 2 * rows * config.epochs * spec.inputSize * spec.layers[0].units;
  return macs >= HELPER_MIN_MACS ? 2 : 1;
}

/**
 * The training set's batch layout for `config`, made once to share among several runs (in
 * shared memory: parallel workers read the one copy); null where runs read batches as they
 * come (shuffled batches).
 *
 * @example
 * const layout = sharedBatchLayout(data.train, config); // hand it to each run's options
 */
export function sharedBatchLayout(train: Dataset, config: Pick<TrainConfig, "shuffle" | "batchSize">): BatchLayout | null {
  return config.shuffle ? null : transposedBatches(train, config.batchSize);
}

/**
 * The fast engine for one run of `model` on `train`, with its batches, its kernel memory and
 * (where the run gets 2 threads) its helper thread; `dispose()` frees them all.
 *
 * @example
 * const prepared = await prepareFastEngine(model, config, data.train, { backend });
 * try { await prepared.engine.compute(prepared.batch(null, 0, 256), where); } finally { prepared.dispose(); }
 */
export async function prepareFastEngine(model: Model, config: TrainConfig, train: Dataset, options: FastEngineOptions): Promise<PreparedEngine> {
  const { backend } = options;
  const why = fastDenseUnsupported(backend);
  if (why) throw new Error(`fast-dense engine: ${why}`);
  // A layout of another data set would hand the engine another set's Xᵀ: wrong gradients,
  // silently. Only its size can be checked here: a set of the same size passes.
  if (options.layout && options.layout.values.length !== train.x.length) {
    throw new Error(`fast-dense engine: options.layout holds ${options.layout.values.length} values, the training set ${train.x.length}: ` +
      "it is not this training set's layout (sharedBatchLayout(train, config) makes this one's)");
  }
  const products = options.products ?? "auto";
  const wantKernel = products === "gemm kernel" || (products === "auto" && backend.wasmGemm);
  // File-order batches come transposed too, for the first layer's gradient; where the kernel
  // runs they go into its memory, where its products read them in place (unless a layout made
  // once for several runs is at hand: the kernel pass then copies each batch's in).
  let kernel: KernelModule | null = null;
  let layout: BatchLayout | null = null;
  if (!config.shuffle) {
    if (options.layout?.batchSize === config.batchSize) {
      layout = options.layout;
    } else {
      kernel = wantKernel ? createKernelModule() : null;
      layout = transposedBatches(train, config.batchSize, kernel ? (n) => kernel!.alloc(n) : undefined);
    }
  }
  const threadsAsked = options.threads ?? "auto";
  let threads = wantKernel ? threadsFor(model.spec, config, train.rows, threadsAsked, backend) : 1;
  let helper: GemmHelper | null = null;
  if (threads >= 2) {
    helper = await startGemmHelper().catch((error) => {
      // Asked for: say why not. Chosen by "auto": the run goes on with one thread, the same bits.
      if (threadsAsked !== "auto") throw error;
      return null;
    });
    if (!helper) threads = 1;
  }
  try {
    const engine = fastDenseEngine(model, config, { backend, kernel: kernel ?? wantKernel, helper });
    return {
      engine,
      threads,
      batch: (order, start, count) => laidOutBatch(train, layout, order, start, count),
      dispose() {
        try {
          engine.dispose();
        } finally {
          helper?.dispose();
        }
      },
    };
  } catch (error) {
    helper?.dispose();
    throw error;
  }
}

/**
 * Bytes the fast engine's kernel memory has handed out in this thread so far: constant from a
 * run's second epoch on, or the engine leaks (memory.test.ts).
 *
 * @example
 * const before = kernelMemoryBytes(); await train(…); kernelMemoryBytes() - before;
 */
export function kernelMemoryBytes(): number {
  return gemmAllocatedBytes();
}

/** The kernel module `kernelMultiplyByDerivative` runs in, and its operands' room, grown to the largest call so far. */
let derivativeKernel: { module: KernelModule; dyT: Float32Array; h: Float32Array } | null = null;

/**
 * dyT ⊙ f'(H)ᵀ in place, as the kernel pass computes it (in the kernel module: dyT is [n, m],
 * `h` [m, n]), for laws that check the derivatives on the code that trains. The operands are
 * copied into one module's memory, reused from call to call (its memory grows only when a call
 * needs more room than any before).
 *
 * @example
 * kernelMultiplyByDerivative({ name: "tanh" }, dyT, h, m, n);
 */
export function kernelMultiplyByDerivative(spec: ActivationSpec, dyT: Float32Array, h: Float32Array, m: number, n: number): void {
  const length = Math.max(dyT.length, h.length);
  if (!derivativeKernel || derivativeKernel.dyT.length < length) {
    const module = derivativeKernel?.module ?? createKernelModule();
    derivativeKernel = { module, dyT: module.alloc(length), h: module.alloc(length) };
  }
  const inKernel = derivativeKernel.dyT.subarray(0, dyT.length), hIn = derivativeKernel.h.subarray(0, h.length);
  inKernel.set(dyT);
  hIn.set(h);
  derivativeKernel.module.activation.multiplyByDerivative(spec, inKernel, hIn, m, n);
  dyT.set(inKernel);
}
