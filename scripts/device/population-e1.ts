/**
 * E1's full profile (Fashion-MNIST 60,000/10,000, 784→30⁴→10, Adam, batch 256, 20 epochs,
 * gradient statistics every 100 iterations) over N seeds × its two activations, each activation
 * one population of N replicas (src/population), timed. The issue's target: 64 seeds within
 * 2 minutes on an H200 under Deno's WebGPU. Prints the wall time per activation and in all,
 * model-steps per second, and per activation the final test accuracies (median, range) and how
 * many replicas stopped.
 *
 *   deno run -A --v8-flags=--expose-gc scripts/device/population-e1.ts --backend webgpu --seeds 64 --data-dir DIR
 *   (--first-seed S: seeds S … S + N − 1, default 0; --epochs E and --train-rows R shorten it for a smoke test)
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { chosenBackend, useBackend } from "../../src/backend/mod.ts";
import type { TrainConfig, TrainData } from "../../src/core/mod.ts";
import { loadFashionMnist, standardize } from "../../src/data/mod.ts";
import { experimentNamed, trainRunsOf } from "../../src/experiments/mod.ts";
import { trainPopulation } from "../../src/population/mod.ts";

const { values } = parseArgs({
  options: {
    backend: { type: "string", default: "webgpu" },
    seeds: { type: "string", default: "64" },
    "first-seed": { type: "string", default: "0" },
    "data-dir": { type: "string" },
    epochs: { type: "string" },
    "train-rows": { type: "string" },
  },
});
const integer = (flag: string, text: string | undefined, min: number): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    console.error(`population-e1: --${flag}: expected an integer ≥ ${min}, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return n;
};
const seeds = integer("seeds", values.seeds, 1);
const firstSeed = integer("first-seed", values["first-seed"], 0);
const epochs = values.epochs === undefined ? undefined : integer("epochs", values.epochs, 1);
const trainRows = values["train-rows"] === undefined ? undefined : integer("train-rows", values["train-rows"], 1);

const info = await useBackend(values.backend);
const backend = chosenBackend();
console.log(`population-e1: ${seeds} seeds (${firstSeed}…${firstSeed + seeds - 1}) × 2 activations on ${backend.name} (${info.device ?? "?"})`);
const raw = loadFashionMnist({ dataDir: values["data-dir"], env: process.env, subset: "full" });
const cutRows = (d: NonNullable<TrainData["test"]>, rows: number | undefined) =>
  rows === undefined || rows >= d.rows ? d : { ...d, rows, x: d.x.subarray(0, rows * d.features), y: d.y.kind === "classes" ? { ...d.y, labels: d.y.labels.subarray(0, rows) } : d.y };
const s = standardize(cutRows(raw.train, trainRows), raw.test, "std");
const data: TrainData = { train: s.train, test: s.test, source: raw.source };
console.log(`data: ${data.train.rows} training rows, ${data.test?.rows} test rows (${raw.source.name})`);

const runs = trainRunsOf(experimentNamed("fashion-sigmoid-vs-relu").config("full"));
const started = performance.now();
let modelSteps = 0;
for (const run of runs) {
  const configs = Array.from({ length: seeds }, (_, k): TrainConfig => ({ ...run.training, seed: firstSeed + k, ...(epochs ? { epochs } : {}) }));
  const t0 = performance.now();
  let last = 0;
  const population = await trainPopulation(run.model, configs, data, {
    backend,
    onProgress: (p) => {
      const now = performance.now();
      if (now - last > 15000) {
        last = now;
        console.log(`  ${run.name}: ${p.done} of ${p.total} model-steps, ${((now - t0) / 1000).toFixed(0)} s`);
      }
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const accuracies = population.replicas.flatMap((r) => (r.status === "trained" ? [r.result.epochs.at(-1)?.testAccuracy ?? NaN] : [])).sort((a, b) => a - b);
  const stopped = population.replicas.filter((r) => r.status === "stopped").length;
  const steps = population.replicas.reduce((n, r) => n + (r.status === "trained" ? r.result.iterations : 0), 0);
  modelSteps += steps;
  const median = accuracies.length ? accuracies[accuracies.length >> 1]! : NaN;
  console.log(
    `${run.name}: ${seeds} replicas (${population.engine}) in ${seconds.toFixed(1)} s, ${(steps / seconds).toFixed(0)} model-steps/s; ` +
      `final test accuracy median ${median.toFixed(4)}, range ${accuracies[0]?.toFixed(4)}–${accuracies.at(-1)?.toFixed(4)}; ${stopped} stopped`,
  );
}
const total = (performance.now() - started) / 1000;
console.log(`all: ${modelSteps} model-steps in ${total.toFixed(1)} s (${(modelSteps / total).toFixed(0)} model-steps/s); target: within 120 s for 64 seeds on an H200`);
