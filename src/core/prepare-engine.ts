/**
 * Choosing and preparing the engine for a run: the one place where the training loop, the
 * benchmark and the property suites get an engine, so that each runs what `train` runs.
 */
import { autodiffEngine, type StepFunction } from "./autodiff-engine.ts";
import { gatherBatch } from "./batches.ts";
import type { Dataset } from "./dataset.ts";
import type { EngineName, PreparedEngine } from "./engine.ts";
import { fastDenseUnsupported, type FastEngineOptions, prepareFastEngine } from "./fast/mod.ts";
import type { Model } from "./model.ts";
import type { TrainConfig } from "./train-config.ts";

/**
 * How a run gets its engine: the backend, which engine, and (for the fast engine, when it is
 * the one that runs) its threads, products and shared batch layout (`FastEngineOptions`).
 */
export interface EngineOptions extends FastEngineOptions {
  /**
   * "auto" (default): the fast-dense engine where it applies (backends that keep tensors in
   * host memory: cpu, wasm), else autodiff. "autodiff" forces the reference engine.
   */
  engine?: "auto" | EngineName;
  /** Replaces autodiff's loss-and-gradients function (tests plant faults with it); implies the autodiff engine. */
  step?: StepFunction;
}

/**
 * The engine `train` would use on `backend` with these options.
 *
 * @example
 * chooseEngine({ backend }); // "fast-dense" on cpu and wasm
 */
export function chooseEngine(options: Pick<EngineOptions, "backend" | "engine" | "step">): EngineName {
  const wanted = options.step ? "autodiff" : options.engine ?? "auto";
  if (wanted === "autodiff") return "autodiff";
  const why = fastDenseUnsupported(options.backend);
  if (wanted === "fast-dense" && why) throw new Error(`engine fast-dense: ${why}`);
  return why ? "autodiff" : "fast-dense";
}

/**
 * The chosen engine for one run of `model` on the training set `train`, ready to step.
 *
 * @example
 * const prepared = await prepareEngine(model, config, data.train, { backend });
 * try { … prepared.engine.compute(prepared.batch(null, 0, config.batchSize), where) … } finally { prepared.dispose(); }
 */
export async function prepareEngine(model: Model, config: TrainConfig, train: Dataset, options: EngineOptions): Promise<PreparedEngine> {
  if (chooseEngine(options) === "fast-dense") {
    return await prepareFastEngine(model, config, train, options);
  }
  const engine = autodiffEngine(model, config, options.step);
  return {
    engine,
    threads: 1,
    batch: (order, start, count) => gatherBatch(train, order, start, count),
    dispose: () => engine.dispose(),
  };
}
