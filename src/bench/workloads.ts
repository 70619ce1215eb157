/**
 * The training steps the benchmark times: E1 (sigmoid and relu), E3 and E4, with exactly the
 * model and training config of each experiment's full profile.
 */
import type { ModelSpec, TrainConfig } from "../core/mod.ts";
import { experimentNamed } from "../experiments/mod.ts";

export interface Workload {
  /** e.g. "E1 sigmoid" */
  name: string;
  model: ModelSpec;
  train: TrainConfig;
}

/**
 * @example
 * benchWorkloads().map((w) => w.name); // ["E1 sigmoid", "E1 relu", "E3 …", "E4 …"]
 */
export function benchWorkloads(): Workload[] {
  const pick = (experiment: string, id: string, runs?: string[]): Workload[] =>
    experimentNamed(experiment).config("full").runs
      .filter((r) => r.kind === "train" && (!runs || runs.includes(r.name)))
      .map((r) => r as { name: string; model: ModelSpec; training: TrainConfig })
      .map((r) => ({ name: `${id} ${r.name}`, model: r.model, train: r.training }));
  return [
    ...pick("fashion-sigmoid-vs-relu", "E1"),
    ...pick("mnist-global-norm-clipping", "E3"),
    ...pick("mnist-bn-elu-he", "E4").slice(0, 1),
  ];
}

/**
 * Floating-point operations of one training step of a dense net on a batch of m rows:
 * forward 2·m·in·out per layer, backward 2·m·in·out for ∂W and again for ∂H (not for the
 * first layer, whose input needs no gradient). Element-wise work is left out.
 *
 * @example
 * stepFlops(e1Model, 256); // ≈ 37 MFLOP
 */
export function stepFlops(model: ModelSpec, m: number): number {
  let fan = model.inputSize;
  let flops = 0;
  model.layers.forEach((l, i) => {
    const mac = m * fan * l.units;
    flops += 2 * mac * (i === 0 ? 2 : 3);
    fan = l.units;
  });
  return flops;
}
