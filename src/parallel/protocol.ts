/** Messages between `trainInWorkers` and its workers. */
import type { ModelSpec, NonFiniteLocation, TrainConfig, TrainData, TrainProgress, TrainResult } from "../core/mod.ts";

export interface JobMessage {
  backend: string;
  model: ModelSpec;
  config: TrainConfig;
  data: TrainData;
  engine: "auto" | "autodiff" | "fast-dense";
  /** TrainOptions.threads for the run */
  threads: number | "auto";
}

export type WorkerMessage =
  | { type: "progress"; progress: TrainProgress }
  | { type: "result"; result: TrainResult }
  | { type: "error"; name: string; message: string; iteration?: number; epoch?: number; tensor?: string | null; location?: NonFiniteLocation };
