/**
 * What the replicas of a population may differ in, checked before anything is allocated.
 *
 * One population is one architecture trained on one data set with one schedule: the batched
 * engine stacks the replicas along a leading axis, so everything that decides a tensor's shape
 * or the sequence of steps must agree (loss, batch size, epochs, shuffling, what is recorded,
 * the optimizer's and the clipping's kind, Nesterov or not). Only what scales numbers may
 * differ per replica (REPLICA_FIELDS): the seed (initial weights and, with shuffling, the batch
 * order), the optimizer's hyper-parameters and the clipping thresholds. Any other field —
 * including one TrainConfig gains later — must agree.
 */
import type { TrainConfig } from "../core/mod.ts";

/** The config fields that may differ between replicas (paths into TrainConfig). */
export const REPLICA_FIELDS: readonly string[] = [
  "seed",
  "optimizer.learningRate",
  "optimizer.momentum",
  "optimizer.beta1",
  "optimizer.beta2",
  "optimizer.epsilon",
  "clipping.maxNorm",
  "clipping.min",
  "clipping.max",
];

/** Every leaf of a plain-data value as [path, JSON of the value], except the replica fields. */
function sharedLeaves(value: unknown, path = ""): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (v: unknown, p: string) => {
    if (REPLICA_FIELDS.includes(p)) return;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      for (const [k, child] of Object.entries(v)) walk(child, p ? `${p}.${k}` : k);
    } else {
      out.set(p, JSON.stringify(v));
    }
  };
  walk(value, path);
  return out;
}

/**
 * Throws, naming the field and the replicas that disagree with replica 0, unless the configs
 * can train as one population; returns their number.
 *
 * @example
 * checkPopulationConfigs([a, { ...a, seed: 2 }]); // 2
 * checkPopulationConfigs([a, { ...a, batchSize: 64 }]); // throws "… disagree on batchSize: replica 0 has 256, replica 1 has 64 …"
 */
export function checkPopulationConfigs(configs: readonly TrainConfig[]): number {
  if (configs.length === 0) throw new Error("trainPopulation: no configs; a population needs at least one replica");
  const first = sharedLeaves(configs[0]);
  const leaves = configs.map((c) => sharedLeaves(c));
  const paths = [...new Set(leaves.flatMap((l) => [...l.keys()]))];
  for (const path of paths) {
    const want = first.get(path);
    // An optional flag left out means false, as train reads it.
    const same = (v: string | undefined) => (v ?? "false") === (want ?? "false");
    const differing = leaves.map((l, i) => (same(l.get(path)) ? -1 : i)).filter((i) => i >= 0);
    if (differing.length === 0) continue;
    const other = differing[0]!;
    throw new Error(
      `trainPopulation: the replicas' configs disagree on ${path}: replica 0 has ${want ?? "none"}, ` +
        `replica ${other} has ${leaves[other]!.get(path) ?? "none"}` +
        (differing.length > 1 ? ` (replicas ${differing.join(", ")} differ from replica 0)` : "") +
        `; a population shares everything but ${REPLICA_FIELDS.join(", ")}`,
    );
  }
  return configs.length;
}
