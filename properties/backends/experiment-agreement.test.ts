import { test } from "uvu";
import * as assert from "uvu/assert";
import { experimentNamed, type ResultBase } from "../../src/experiments/mod.ts";

const fashionSigmoidVsRelu = experimentNamed("fashion-sigmoid-vs-relu");
import { readFixture } from "../../src/fixtures/mod.ts";
import { agreementProblems } from "./experiment-agreement.ts";

/** E1's quick fixture (computed on wasm), and a copy that claims to come from webgpu. */
function pair(): { wasm: ResultBase; webgpu: ResultBase & { series: any } } {
  const wasm = readFixture("fashion-sigmoid-vs-relu", "quick") as unknown as ResultBase;
  const webgpu = structuredClone(wasm) as ResultBase & { series: any };
  webgpu.environment = { ...webgpu.environment, backend: "webgpu", runtime: "deno" };
  return { wasm, webgpu };
}

test("the same numbers on another backend and engine agree", () => {
  const { wasm, webgpu } = pair();
  for (const run of webgpu.series.runs) run.result.engine = "autodiff";
  assert.equal(agreementProblems(fashionSigmoidVsRelu, wasm, webgpu), []);
});

test("a claim verdict that differs is a problem, named with both measurements", () => {
  const { wasm, webgpu } = pair();
  const claim = webgpu.claims[0]!;
  claim.held = !claim.held;
  const problems = agreementProblems(fashionSigmoidVsRelu, wasm, webgpu);
  assert.match(problems[0]!, new RegExp(`^claim ${claim.id}: (holds|fails) on wasm \\(.+\\) but (holds|fails) on webgpu \\(.+\\)$`));
});

test("numbers beyond the cross-backend tolerance, and a run that did not train (zero loss, zero gradients), are problems", () => {
  const { wasm, webgpu } = pair();
  const run = webgpu.series.runs[0].result;
  run.epochs[0].testAccuracy *= 1.2;
  run.epochs[1].lossMean = 0;
  run.steps[2].meanAbs[0] = 0;
  const problems = agreementProblems(fashionSigmoidVsRelu, wasm, webgpu).join("\n");
  assert.match(problems, /series\.runs\[0 "sigmoid"\]\.result\.epochs\[0\]\.testAccuracy: wasm [\d.]+, webgpu [\d.]+ \(\|Δ\| = /);
  assert.match(problems, /webgpu, run sigmoid, epoch 2: lossMean = 0, not a finite positive number/);
  assert.match(problems, /webgpu, run sigmoid, iteration \d+: a loss or gradient statistic is zero or not finite/);
});

test.run();
