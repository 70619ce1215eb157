/**
 * The population engine's replicas equal single runs: through the workers bitwise (each
 * replica IS a `train` run), and on the batched engine bitwise against `train`'s autodiff
 * engine on cpu and wasm (tolerance.ts: batchedEngineIsBitwise) — a property over generated
 * populations that fails on the planted faults. The one-step comparison across orders of
 * summation (used on webgpu, batched-webgpu.test.ts) is checked here too: it passes on the
 * batched engine and fails on the faults. Mismatched configs and non-finite replicas.
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BACKEND_NAMES, chosenBackend, useBackend } from "../backend/mod.ts";
import { restoreBackendAfter } from "../backend/testing.ts";
import { denseStack, memoryLimit, NonFiniteError, Rng, train, type TrainConfig, type TrainData, type TrainResult, trainingMemory } from "../core/mod.ts";
import { TEST_SEED } from "../../properties/_internals/test-seed.ts";
import { batchedEngineIsBitwise, toleranceFor } from "../../properties/tolerance.ts";
import { trainBatched } from "./_internals/batched-train.ts";
import type { PlantedFault } from "./_internals/batched-step.ts";
import { trainedResults, trainPopulation } from "./mod.ts";
import { firstDifference } from "../golden/mod.ts";
import { oneStepProblems, type PopulationCase, populationCases, PLANTED_FAULTS } from "./testing.ts";

restoreBackendAfter(test);

/** `rows` rows of 4 standard-normal features, labels uniform over 3 classes; the test set is the training set. */
function blobs(rows: number): TrainData {
  const rng = new Rng(11);
  const x = new Float32Array(rows * 4).map(() => rng.normal());
  const ds = { x, rows, features: 4, y: { kind: "classes" as const, labels: new Int32Array(rows).map(() => rng.int(3)), classes: 3 } };
  return { train: ds, test: ds, source: { name: "blobs", location: "generated", sha256: "", description: "" } };
}

/** Adam with global-norm clipping, shuffled, gradient values recorded every other step. */
const config: TrainConfig = {
  loss: "softmaxCrossEntropy", optimizer: { name: "adam", learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, batchSize: 8, epochs: 2,
  shuffle: true, clipping: { name: "globalNorm", maxNorm: 1 }, seed: 3, record: { every: 2, gradientValues: true },
};
const spec = denseStack(4, [5, 3], { name: "tanh" }, { name: "glorotUniform" });

/** Fails unless `run` rejects with a message matching `message`. */
async function rejects(run: () => Promise<unknown>, message: RegExp): Promise<void> {
  try {
    await run();
  } catch (error) {
    assert.match((error as Error).message, message);
    return;
  }
  assert.unreachable(`expected an error matching ${message}`);
}

/** A replica's outcome as a result, failing the test when it stopped. */
function resultOf(outcome: { status: string; result?: TrainResult; error?: Error }): TrainResult {
  if (outcome.status !== "trained") throw new Error(`replica stopped: ${outcome.error?.message}`);
  return outcome.result!;
}

test("configs that disagree on more than seeds and hyper-parameters are refused, naming the field and the replicas", async () => {
  await useBackend("cpu");
  const data = blobs(16);
  const cases: [Partial<TrainConfig>, RegExp][] = [
    [{ batchSize: 4 }, /disagree on batchSize: replica 0 has 8, replica 1 has 4/],
    [{ shuffle: false }, /disagree on shuffle: replica 0 has true, replica 1 has false/],
    [{ optimizer: { name: "sgd", learningRate: 0.1 } }, /disagree on optimizer.name: replica 0 has "adam", replica 1 has "sgd"/],
    [{ record: { every: 1 } }, /disagree on record.every/],
  ];
  for (const [change, message] of cases) {
    const configs = [config, { ...config, ...change }, { ...config, ...change }];
    await rejects(() => trainPopulation(spec, configs, data, { backend: chosenBackend(), engine: "batched" }), message);
    await rejects(() => trainPopulation(spec, configs, data, { backend: chosenBackend(), engine: "batched" }), /replicas 1, 2 differ from replica 0/);
  }
  await rejects(() => trainPopulation(spec, [], data, { backend: chosenBackend() }), /no configs/);
  // What may differ: the seed, the optimizer's hyper-parameters, the clipping threshold; a left-out flag is false.
  const fine = [config, { ...config, seed: 9, optimizer: { ...config.optimizer, learningRate: 0.1, beta2: 0.99 }, clipping: { name: "globalNorm" as const, maxNorm: 5 }, evaluateTrainSet: false }];
  assert.is((await trainPopulation(spec, fine, data, { backend: chosenBackend(), engine: "batched" })).replicas.length, 2);
});

test("a population that fits one replica at a time but not all at once is refused on the batched engine, before any allocation", async () => {
  await useBackend("cpu");
  const backend = chosenBackend();
  const data = blobs(16);
  const limit = memoryLimit(backend).bytes;
  // The first layer's bytes grow linearly with its units: sized so that one replica needs most of the limit (checked below).
  const perUnit = trainingMemory(denseStack(4, [1, 3], { name: "tanh" }, { name: "glorotUniform" }), config)[0]!.bytes;
  const units = Math.floor((0.6 * limit) / perUnit);
  const big = denseStack(4, [units, 3], { name: "tanh" }, { name: "glorotUniform" });
  const one = trainingMemory(big, config).reduce((n, l) => n + l.bytes, 0);
  assert.ok(one <= limit && 2 * one > limit, "one replica fits, two do not");
  await rejects(
    () => trainPopulation(big, [config, { ...config, seed: 4 }], data, { backend, engine: "batched" }),
    /^trainPopulation: 2 replicas do not fit in memory: each needs at least [\d.]+ [KMGT]iB to train with adam .*; train fewer replicas at once$/,
  );
});

/** The property: every replica of the batched engine is bitwise train()'s autodiff run of its config. */
async function batchedEqualsTrain(c: PopulationCase, fault: PlantedFault = {}): Promise<void> {
  const outcomes = await trainBatched(c.spec, c.configs, c.data, {}, fault);
  for (const [k, cfg] of c.configs.entries()) {
    const ref = await train(c.spec, cfg, c.data, { backend: chosenBackend(), engine: "autodiff" });
    const d = firstDifference(resultOf(outcomes[k]!), ref);
    if (d) throw new Error(`replica ${k} of ${c.configs.length} differs from train(): ${d}`);
  }
}

// The property runs on the backends listed here; the tolerance model must declare exactly these
// bitwise (batchedEngineIsBitwise): narrowing the rule cannot drop a test, nor widening it add an
// untested backend, without this test saying so.
const BITWISE_RUNS = { cpu: 10, wasm: 4 } as const;
test("the backends the tolerance model declares the batched engine bitwise on are the ones this property runs on", () => {
  const declared = BACKEND_NAMES.filter((b) => batchedEngineIsBitwise(toleranceFor(b)));
  assert.equal(declared, Object.keys(BITWISE_RUNS));
});
for (const [backend, numRuns] of Object.entries(BITWISE_RUNS) as [keyof typeof BITWISE_RUNS, number][]) {
  test(`property: on ${backend} the batched engine gives each replica bitwise train()'s result (autodiff engine)`, async () => {
    await useBackend(backend);
    await fc.assert(fc.asyncProperty(populationCases(), (c) => batchedEqualsTrain(c)), { seed: TEST_SEED, numRuns });
  });
}

test("the bitwise property fails on each planted fault", async () => {
  await useBackend("cpu");
  for (const [name, fault] of Object.entries(PLANTED_FAULTS)) {
    const out = await fc.check(fc.asyncProperty(populationCases(), (c) => batchedEqualsTrain(c, fault)), { seed: TEST_SEED, numRuns: 30, endOnFailure: true });
    assert.ok(out.failed, `the planted fault "${name}" passed the property`);
  }
});

/** The one-step comparison (what webgpu is held to) for one population case. */
async function oneStepAgrees(backend: "cpu" | "webgpu", c: PopulationCase, fault: PlantedFault = {}): Promise<void> {
  const outcomes = await trainBatched(c.spec, c.configs, c.data, {}, fault);
  for (const [k, cfg] of c.configs.entries()) {
    const ref = await train(c.spec, cfg, c.data, { backend: chosenBackend() });
    const problems = oneStepProblems(toleranceFor(backend), c.spec, cfg, resultOf(outcomes[k]!), ref);
    if (problems.length) throw new Error(`replica ${k}: ${problems.slice(0, 4).join("; ")}`);
  }
}

test("the one-step comparison across orders of summation passes on the batched engine and fails on each planted fault", async () => {
  await useBackend("cpu");
  await fc.assert(fc.asyncProperty(populationCases({ oneStep: true }), (c) => oneStepAgrees("cpu", c)), { seed: TEST_SEED, numRuns: 6 });
  for (const [name, fault] of Object.entries(PLANTED_FAULTS)) {
    const out = await fc.check(fc.asyncProperty(populationCases({ oneStep: true }), (c) => oneStepAgrees("cpu", c, fault)), { seed: TEST_SEED, numRuns: 30, endOnFailure: true });
    assert.ok(out.failed, `the planted fault "${name}" passed the one-step comparison`);
  }
});

/**
 * A linear net, which Adam at a huge learning rate drives to ±Inf within a few steps; without
 * biases, so that weights of ±∞ reach the loss only through the products.
 */
const linearSpec = denseStack(4, [5, 3], { name: "linear" }, { name: "glorotUniform" }, { useBias: false });

for (const [backend, engine] of [["wasm", "workers"], ["cpu", "batched"]] as const) {
  test(`${engine} (${backend}): each replica is bitwise the train() run of its config, in order; one that goes non-finite stops with train()'s NonFiniteError, the others train on`, async () => {
    await useBackend(backend);
    const data = blobs(24);
    // Replica 1 steps by ≈ 1e30 (Adam's first steps are ≈ lr·sign(g)): its activations overflow
    // within a few steps. Replica 3's learning rate is ∞ in float32: its first step makes its
    // weights ±∞/NaN, which only the isolated products' marks see (they zero them in the product).
    // (1e40: Adam's first step size lr·√(1 − β2)/(1 − β1) ≈ 3.2e39 is past float32's 3.4e38.)
    const rate = (learningRate: number, seed: number) => ({ ...config, seed, optimizer: { ...config.optimizer, learningRate } });
    const configs = [config, rate(1e30, 4), rate(0.05, 5), rate(1e40, 6)];
    const done: number[] = [];
    const population = await trainPopulation(linearSpec, configs, data, { backend: chosenBackend(), engine, onProgress: (p) => done.push(p.done / p.total) });
    assert.is(population.engine, engine);
    // The batched engine reproduces the autodiff engine; the workers run train() as it is.
    const options = { backend: chosenBackend(), engine: engine === "batched" ? "autodiff" as const : "auto" as const };
    for (const k of [0, 2]) {
      assert.is(JSON.stringify(resultOf(population.replicas[k]!)), JSON.stringify(await train(linearSpec, configs[k]!, data, options)), `replica ${k}`);
    }
    for (const k of [1, 3]) {
      const stopped = population.replicas[k]!;
      assert.is(stopped.status, "stopped", `replica ${k}`);
      const error = (stopped as { error: NonFiniteError }).error;
      assert.instance(error, NonFiniteError);
      try {
        await train(linearSpec, configs[k]!, data, options);
        assert.unreachable(`train() did not stop replica ${k}'s config`);
      } catch (e) {
        assert.instance(e, NonFiniteError);
        const want = e as NonFiniteError;
        assert.equal([error.message, error.iteration, error.epoch, error.tensor, error.location], [want.message, want.iteration, want.epoch, want.tensor, want.location]);
      }
    }
    assert.throws(() => trainedResults(population), /2 of 4 replicas stopped:\n {2}replica 1: non-finite.*\n {2}replica 3: non-finite/);
    assert.ok(done.length > 0 && done.every((f, i) => f > 0 && f <= 1 && (i === 0 || f >= done[i - 1]!)), "progress grows to at most 1");
  });
}

test.run();
