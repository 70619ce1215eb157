/** Messages between `trainInWorkers` and its workers. */
import type { BatchLayout, ModelSpec, NonFiniteLocation, TrainConfig, TrainData, TrainProgress, TrainResult } from "../core/mod.ts";

export interface JobMessage {
  backend: string;
  model: ModelSpec;
  config: TrainConfig;
  data: TrainData;
  /** the fast engine's batch layout of data.train, made once for every worker (null: none) */
  layout: BatchLayout | null;
  engine: "auto" | "autodiff" | "fast-dense";
  /** TrainOptions.threads for the run */
  threads: number | "auto";
}

export type WorkerMessage =
  | { type: "progress"; progress: TrainProgress }
  | { type: "result"; result: TrainResult }
  | { type: "error"; name: string; message: string; iteration?: number; epoch?: number; tensor?: string | null; location?: NonFiniteLocation };
