/**
 * The WebGPU part of the Deno half of `npm test` (in CI through Mesa's software adapter,
 * llvmpipe, which .ci/run installs): every law at WEBGPU_CI_RUNS inputs, and E1 run on webgpu
 * and on wasm at a CI-sized cut, which must agree (claim verdicts, numbers within the
 * cross-backend tolerance, non-zero losses, accuracies and gradient statistics).
 * GRADLAB_TEST_PROFILE=thorough runs each law at its full webgpu count and E1's whole quick
 * profile (2 min on llvmpipe). Without an adapter (Bun; Deno without Mesa) it is skipped,
 * saying why, unless GRADLAB_REQUIRE_WEBGPU=1.
 */
import process from "node:process";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { requireWebgpu, restoreBackendAfter, webgpuTests } from "../src/backend/testing.ts";
import { type ExperimentConfig, experimentNamed } from "../src/experiments/mod.ts";

const fashionSigmoidVsRelu = experimentNamed("fashion-sigmoid-vs-relu");
import { agreementProblems, runOn } from "./backends/experiment-agreement.ts";
import { TEST_SEED } from "./_internals/test-seed.ts";
import { checkLaw, runsFor, WEBGPU_CI_RUNS } from "./harness.ts";
import { LAWS } from "./laws.ts";
import { describeResult } from "./report-markdown.ts";

/**
 * E1 at CI size: the quick profile's first 1,536/300 rows for one epoch (2 × 6 iterations, 12
 * s on llvmpipe) instead of 6,000/1,000 for three (2 × 72 iterations, 130 s). Its claims'
 * margins on wasm stay clear of 0 (the smallest, relu's epoch-1 lead, is 4.2 accuracy points),
 * so float noise between backends cannot flip a verdict.
 */
function e1Config(thorough: boolean): ExperimentConfig {
  const quick = fashionSigmoidVsRelu.config("quick", fashionSigmoidVsRelu.defaultSeed);
  if (thorough) return quick;
  return {
    ...quick,
    data: { ...quick.data!, trainRows: 1536, testRows: 300 },
    runs: quick.runs.map((r) => (r.kind === "train" ? { ...r, training: { ...r.training, epochs: 1 } } : r)),
  };
}

const gpu = await webgpuTests();
const thorough = process.env.GRADLAB_TEST_PROFILE === "thorough";

if (!gpu.run) {
  console.log(gpu.skip);
  test.skip("every law on webgpu");
  test.skip("E1 on webgpu agrees with wasm");
} else {
  restoreBackendAfter(test);
  for (const law of LAWS) {
    test(`${law.name} on webgpu`, async () => {
      requireWebgpu(gpu.info);
      const runs = thorough ? runsFor(law, "webgpu", "thorough") : WEBGPU_CI_RUNS;
      const result = await checkLaw(law, "webgpu", { seed: TEST_SEED, runs });
      assert.ok(result.status === "passed", describeResult(result));
    });
  }

  test(`E1 on webgpu agrees with wasm (${thorough ? "the quick profile" : "1,536/300 rows, one epoch"}): claims, numbers, training`, async () => {
    requireWebgpu(gpu.info);
    const config = e1Config(thorough);
    const onWasm = await runOn("wasm", fashionSigmoidVsRelu, config);
    const onWebgpu = await runOn("webgpu", fashionSigmoidVsRelu, config);
    const problems = agreementProblems(fashionSigmoidVsRelu, onWasm, onWebgpu);
    assert.equal(problems, [], `E1 on webgpu does not agree with wasm:\n${problems.slice(0, 20).join("\n")}`);
  });
}

test.run();
