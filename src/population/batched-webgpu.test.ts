/**
 * The population engine's batched step on WebGPU (Deno, where an adapter exists; in CI Mesa's
 * llvmpipe): each replica's first step equals train()'s on webgpu within the bounds derived in
 * properties/tolerance.ts for the same float32 operations summed in another order (a GPU picks
 * its kernels by shape: reorderedGradientNorm, reorderedLoss, firstStepDisplacement; over more
 * steps Adam amplifies such differences without a useful bound, and the many-step behaviour is
 * held bitwise on cpu and wasm by train-population.test.ts); and a replica that goes non-finite
 * is found by the on-device probe and stops with train()'s error while the others train on.
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { chosenBackend, useBackend } from "../backend/mod.ts";
import { requireWebgpu, restoreBackendAfter, webgpuTests } from "../backend/testing.ts";
import { denseStack, NonFiniteError, Rng, train, type TrainConfig, type TrainResult } from "../core/mod.ts";
import { TEST_SEED } from "../../properties/_internals/test-seed.ts";
import { toleranceFor } from "../../properties/tolerance.ts";
import { trainPopulation } from "./mod.ts";
import { firstDifference } from "../golden/mod.ts";
import { oneStepProblems, populationCases } from "./testing.ts";

const gpu = await webgpuTests();

if (!gpu.run) {
  console.log(gpu.skip);
  test.skip("the batched engine on webgpu");
} else {
  restoreBackendAfter(test);

  test("webgpu: each replica's first step equals train()'s within the derived cross-order bounds", async () => {
    requireWebgpu(gpu.info);
    await useBackend("webgpu");
    await fc.assert(
      fc.asyncProperty(populationCases({ oneStep: true, maxReplicas: 3 }), async (c) => {
        const population = await trainPopulation(c.spec, c.configs, c.data, { backend: chosenBackend() });
        assert.is(population.engine, "batched");
        for (const [k, config] of c.configs.entries()) {
          const outcome = population.replicas[k]!;
          if (outcome.status !== "trained") throw new Error(`replica ${k} stopped: ${outcome.error.message}`);
          const problems = oneStepProblems(toleranceFor("webgpu"), c.spec, config, outcome.result, await train(c.spec, config, c.data, { backend: chosenBackend() }));
          if (problems.length) throw new Error(`replica ${k}: ${problems.slice(0, 4).join("; ")}`);
        }
      }),
      { seed: TEST_SEED, numRuns: 2 },
    );
  });

  test("webgpu: a replica that goes non-finite stops with train()'s NonFiniteError; the others train on", async () => {
    requireWebgpu(gpu.info);
    await useBackend("webgpu");
    const rng = new Rng(5);
    const rows = 12;
    const ds = { x: new Float32Array(rows * 3).map(() => rng.normal()), rows, features: 3, y: { kind: "classes" as const, labels: new Int32Array(rows).map(() => rng.int(2)), classes: 2 } };
    const data = { train: ds, source: { name: "blobs", location: "generated", sha256: "", description: "" } };
    const spec = denseStack(3, [4, 2], { name: "linear" }, { name: "glorotUniform" });
    const config: TrainConfig = {
      loss: "softmaxCrossEntropy", optimizer: { name: "adam", learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
      batchSize: 4, epochs: 2, shuffle: false, clipping: { name: "none" }, seed: 1, record: { every: 0 },
    };
    const configs = [config, { ...config, seed: 2, optimizer: { ...config.optimizer, learningRate: 1e30 } }];
    const { replicas } = await trainPopulation(spec, configs, data, { backend: chosenBackend() });
    assert.is(replicas[1]!.status, "stopped");
    const error = (replicas[1] as { error: NonFiniteError }).error;
    try {
      await train(spec, configs[1]!, data, { backend: chosenBackend() });
      assert.unreachable("train() did not stop");
    } catch (e) {
      assert.instance(e, NonFiniteError);
      assert.equal([error.iteration, error.tensor, error.message], [(e as NonFiniteError).iteration, (e as NonFiniteError).tensor, (e as Error).message]);
    }
    assert.is(replicas[0]!.status, "trained");
    const healthy = (replicas[0] as { result: TrainResult }).result;
    const ref = await train(spec, config, data, { backend: chosenBackend() });
    // Several steps: the same epochs and iterations; the numbers agree bitwise where the GPU sums in the same order (llvmpipe does).
    assert.equal([healthy.epochs.length, healthy.iterations], [ref.epochs.length, ref.iterations]);
    const d = firstDifference(healthy, ref);
    if (d) console.log(`note: the healthy replica differs from train() on this GPU after several steps (${d}); the first step is held to the derived bounds above`);
  });
}

test.run();
