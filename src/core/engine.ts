/**
 * A training engine computes one batch's loss and gradients and applies the update; the
 * training loop (train.ts) is the same for every engine. Two engines compute the same math:
 * `autodiff` (tfjs's own gradients and tfjs-op optimizers: the reference) and `fast-dense`
 * (a hand-derived backward pass laid out for untransposed matMuls and an in-place update, for
 * dense nets with or without batch norm on backends that keep tensors in host memory;
 * src/core/fast/mod.ts). `prepareEngine` (prepare-engine.ts) makes either, with what it needs
 * for a run, as a `PreparedEngine`.
 */
import type { HostBatch } from "./batches.ts";
import type { Model } from "./model.ts";

/** Where in the run a batch is, for error messages. */
export interface StepPosition {
  iteration: number;
  epoch: number;
  batch: number;
}

/** Per-parameter gradient statistics of the last computed batch (arrays follow model.parameters). */
export interface GradientStats {
  meanAbs: number[];
  l2: number[];
  globalNorm: number;
  /** after clipping, when the config clips */
  clippedL2?: number[];
  clippedGlobalNorm?: number;
}

export interface Engine {
  readonly name: EngineName;
  readonly model: Model;
  /** What computed the last step's matrix products, for reports: "tfjs ops" or "gemm kernel". */
  readonly products: "tfjs ops" | "gemm kernel";
  /** Forward and backward pass; throws NonFiniteError on a non-finite loss or gradient. */
  compute(batch: HostBatch, where: StepPosition): Promise<{ loss: number; hits: number }>;
  /** Statistics of the gradients `compute` left. */
  stats(): Promise<GradientStats>;
  /** Every gradient element, in parameter layout. */
  gradientValues(): Promise<number[][]>;
  /** Clips, applies the optimizer, updates batch-norm moving averages, frees the batch's tensors. */
  update(): void;
  dispose(): void;
}

export type EngineName = "autodiff" | "fast-dense";

/** An engine ready for one run: the engine, the batches as it reads them, and what it holds. */
export interface PreparedEngine {
  readonly engine: Engine;
  /** threads the run computes with: 2 where the fast engine has its helper thread */
  readonly threads: number;
  /** Rows `order[start..start+count)` of the training set (file order when `order` is null), as the engine reads them. */
  batch(order: Int32Array | null, start: number, count: number): HostBatch;
  /** Frees the engine and whatever it holds (the helper thread, kernel memory). */
  dispose(): void;
}
