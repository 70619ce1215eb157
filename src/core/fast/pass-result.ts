/** What one forward and backward pass of the fast engine hands to the engine. */
export interface PassResult {
  loss: number;
  hits: number;
  /** per layer: ∂W transposed ([out, in]), except the first layer's when `firstUntransposed` */
  weightGrads: Float32Array[];
  firstUntransposed: boolean;
  biasGrads: (Float32Array | null)[];
  bnGrads: ({ dGamma: Float32Array; dBeta: Float32Array } | null)[];
  /** per layer: the batch mean and biased variance of batch-normalized layers */
  batchStats: ({ mean: Float32Array; variance: Float32Array } | null)[];
}
