/**
 * A training engine computes one batch's loss and gradients and applies the update; the
 * training loop (train.ts) is the same for every engine. Two engines compute the same math:
 * `autodiff` (tfjs's own gradients and tfjs-op optimizers: the reference) and `fast-dense`
 * (hand-derived backward pass laid out for untransposed matMuls and an in-place update,
 * for dense nets without batch normalization on backends with host memory).
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
