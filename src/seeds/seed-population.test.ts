/**
 * Runs over seeds on the population engine: every seed's summary is the one its seed gives
 * trained alone — bitwise on cpu, where the batched engine reproduces the autodiff engine, and
 * through the workers on wasm — with the data loaded once; the gathering does not wait for a
 * seed that ended without training, and refuses seeds whose runs cannot be one population.
 * On webgpu (Deno, where an adapter is found) the default run over seeds is the batched
 * population, and its verdicts are those of cpu.
 */
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { backendHandle, useBackend } from "../backend/mod.ts";
import { requireWebgpu, restoreBackendAfter, webgpuTests } from "../backend/testing.ts";
import { denseStack, train, type TrainConfig, type TrainData } from "../core/mod.ts";
import { experimentFromDefinition, readExperimentFile, type RunRecord, seedDependentData, type TrainingRun, type TrainRunsHook } from "../experiments/mod.ts";
import { REPO_ROOT } from "../testing/subprocess.ts";
import { runSeeds } from "./run-seeds.ts";
import { seedPopulation } from "./seed-population.ts";

restoreBackendAfter(test);

const file = join(REPO_ROOT, "examples", "experiments", "sigmoid-depth.json");
const sigmoidDepth = experimentFromDefinition(readExperimentFile(file), file);
const SEEDS = [3, 4, 5];

/** Each run trained alone, one after the other, by `train`'s autodiff engine: the reference the batched engine must equal. */
const autodiffAlone: TrainRunsHook = async (runs, dataOf, ctx) => {
  const out: RunRecord[] = [];
  for (const run of runs) out.push({ name: run.name, result: await train(run.model, run.training, dataOf(run), { backend: ctx.runsOn!, engine: "autodiff" }) });
  return out;
};

test("on cpu every seed of a batched population has bitwise the summary of its seed trained alone (autodiff engine)", async () => {
  const runsOn = backendHandle((await useBackend("cpu")).name);
  const together = await runSeeds(sigmoidDepth, "quick", SEEDS, SEEDS, { runsOn, population: "batched" });
  const alone = await runSeeds(sigmoidDepth, "quick", SEEDS, SEEDS, { runsOn, population: false, trainRuns: autodiffAlone });
  assert.equal(together.perSeed, alone.perSeed);
  assert.equal(together.identity, alone.identity);
  assert.is(together.trainedBy, "population engine (batched): each training run of the 3 seeds as one population");
  assert.is(alone.trainedBy, "one training run per seed, as alone");
  // the population trained something: the seeds differ
  assert.not.equal(together.perSeed[0]!.runs, together.perSeed[1]!.runs);
  // split where a population would not fit at once (here: asked for), with the same bits
  const split = await runSeeds(sigmoidDepth, "quick", SEEDS, SEEDS, { runsOn, population: "batched", maxReplicas: 2 });
  assert.equal(split.perSeed, alone.perSeed);
  assert.is(split.trainedBy, "population engine (batched): each training run of the 3 seeds as one population, split into populations of at most 2 replicas");
});

test("an experiment without training runs is not gathered: its seeds run as before", async () => {
  const runsOn = backendHandle((await useBackend("cpu")).name);
  const base = readExperimentFile(file);
  const measuresOnly = experimentFromDefinition({
    ...base,
    name: "derivatives-only",
    runs: { derivatives: { kind: "activation-derivatives", description: "tanh' on a grid", activations: [{ name: "tanh" }], grid: { min: -2, max: 2, stepsPerUnit: 10 } } },
    measures: {},
    claims: {
      "tanh-peaks-at-one": {
        statement: "tanh' peaks at 1", check: "max tanh' == 1",
        measure: { value: { run: "derivatives", where: { activation: "tanh" }, field: "max" } }, comparison: "==", threshold: 1,
      },
    },
  } as typeof base, file);
  const run = await runSeeds(measuresOnly, "quick", [1, 2], [1, 2], { runsOn, population: "batched" });
  assert.is(run.trainedBy, "no training runs (measurements only), one seed after another");
  assert.equal(run.perSeed.map((s) => s.claims.map((c) => c.held)), [[true], [true]]);
});

test("an experiment whose data is drawn from each seed is refused before any work, saying why", async () => {
  const runsOn = backendHandle((await useBackend("cpu")).name);
  const pairsFile = join(REPO_ROOT, "experiments", "init-variance.json");
  const e6 = readExperimentFile(pairsFile);
  const { dataSeed: _, ...unfixed } = e6.runs.pairs as { dataSeed?: number };
  const drawnPerSeed = experimentFromDefinition({ ...e6, runs: { ...e6.runs, pairs: unfixed } } as unknown as typeof e6, pairsFile);
  let measured = 0;
  const error = await runSeeds(drawnPerSeed, "quick", [1, 2], [1, 2], { runsOn, onProgress: () => measured++, onSeed: () => measured++ }).then(() => null, (e: Error) => e);
  assert.match(String(error), /init-variance: cannot be judged over seeds: its data would differ between seeds \(run pairs \(variance-pairs\) draws its inputs from each seed; give it a dataSeed to fix them\)/);
  assert.is(measured, 0, "refused before measuring anything");
  const base = readExperimentFile(file);
  const unseeded = experimentFromDefinition({ ...base, data: { ...base.data!, seed: undefined } } as typeof base, file);
  assert.match(String(seedDependentData(unseeded.config("quick"))), /\/data: synthetic-regression data without a seed of its own is drawn from each seed; give \/data\/seed/);
  assert.is(seedDependentData(sigmoidDepth.config("quick")), null);
  assert.is(seedDependentData(experimentFromDefinition(e6, pairsFile).config("quick")), null, "E6 fixes its inputs (dataSeed)");
});

test("on wasm the population's workers give bitwise what one run per seed gives, and cpu/wasm default to one run per seed", async () => {
  const runsOn = backendHandle((await useBackend("wasm")).name);
  const workers = await runSeeds(sigmoidDepth, "quick", SEEDS, SEEDS.slice(0, 2), { runsOn, population: "workers" });
  const plain = await runSeeds(sigmoidDepth, "quick", SEEDS, SEEDS.slice(0, 2), { runsOn });
  assert.equal(workers.perSeed, plain.perSeed);
  assert.is(workers.trainedBy, "population engine (workers): each training run of the 2 seeds as one population");
  assert.is(plain.trainedBy, "one training run per seed, as alone");
});

/** A tiny training run named `name` on 8 rows. */
function tinyRun(name: string, seed: number): { run: TrainingRun; data: TrainData } {
  const ds = { x: Float32Array.from({ length: 16 }, (_, i) => Math.sin(i)), rows: 8, features: 2, y: { kind: "regression" as const, values: Float32Array.from({ length: 8 }, (_, i) => i / 8), outputs: 1 } };
  const training: TrainConfig = { loss: "mse", optimizer: { name: "sgd", learningRate: 0.1 }, batchSize: 4, epochs: 1, shuffle: false, clipping: { name: "none" }, seed, record: { every: 1 } };
  return { run: { kind: "train", name, model: denseStack(2, [3, 1], { name: "tanh" }, { name: "glorotUniform" }), training } as TrainingRun, data: { train: ds, source: { name: "tiny", location: "generated", sha256: "", description: "" } } };
}

test("the gathering trains once every seed still running has handed in: a seed that ended without training is not waited for", async () => {
  const backend = backendHandle((await useBackend("cpu")).name);
  const gathering = seedPopulation(3, { backend, engine: "batched" });
  const shared = tinyRun("a", 0).data;
  const handIn = (seat: number) => {
    const { run } = tinyRun("a", seat);
    return gathering.trainRunsFor(seat)([run], () => shared, { runsOn: backend }, 0);
  };
  const first = handIn(0), third = handIn(2);
  // a round sizes its first population before its first await: none sized means none started
  await Promise.resolve();
  assert.is(gathering.largest, 0, "seat 1 is still running: nothing trains yet");
  gathering.ended(1);
  const [a, c] = await Promise.all([first, third]);
  assert.is(a[0]!.name, "a");
  assert.is(a[0]!.result.iterations, 2);
  assert.not.equal(a[0]!.result.steps, c[0]!.result.steps, "seats 0 and 2 trained with their own seeds");
  assert.is(gathering.largest, 2);
});

test("seeds whose training runs cannot be one population are refused, naming why", async () => {
  const backend = backendHandle((await useBackend("cpu")).name);
  const gathering = seedPopulation(2, { backend, engine: "batched" });
  const a = tinyRun("a", 1), b = tinyRun("b", 2);
  const results = await Promise.allSettled([
    gathering.trainRunsFor(0)([a.run], () => a.data, { runsOn: backend }, 0),
    gathering.trainRunsFor(1)([b.run], () => b.data, { runsOn: backend }, 0),
  ]);
  for (const r of results) {
    assert.is(r.status, "rejected");
    assert.match(String((r as PromiseRejectedResult).reason), /seat 1's training runs cannot join seat 0's population: run 1 is a against b/);
  }
});

const gpu = await webgpuTests();
if (gpu.run) {
  test("on webgpu a run over seeds trains each run of all seeds as one batched population, with cpu's verdicts", async () => {
    requireWebgpu(gpu.info);
    const runsOn = backendHandle((await useBackend("webgpu")).name);
    const onGpu = await runSeeds(sigmoidDepth, "quick", SEEDS, SEEDS.slice(0, 2), { runsOn });
    assert.is(onGpu.trainedBy, "population engine (batched): each training run of the 2 seeds as one population");
    const cpu = backendHandle((await useBackend("cpu")).name);
    const onCpu = await runSeeds(sigmoidDepth, "quick", SEEDS, SEEDS.slice(0, 2), { runsOn: cpu, population: "batched" });
    const verdicts = (r: typeof onGpu) => r.perSeed.map((s) => s.claims.map((c) => `${s.seed} ${c.id} ${c.held}`));
    assert.equal(verdicts(onGpu), verdicts(onCpu));
  });
} else {
  console.log(gpu.skip);
}

test.run();
