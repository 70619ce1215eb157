/**
 * assertLaw on user code: a user's right activation and layer pass, wrong ones are rejected
 * with a LawViolation that shows the shrunk counterexample and replays from its seed and path;
 * and the tolerance a user's implementation gets is its own float32 error, no looser: the
 * softplus-based sigmoid passes where its σ′ is one ulp of 1/4 from the truth (x ≈ 1e-8), a
 * σ′ 2⁻¹⁰ off there does not; the piecewise activations (relu, leaky ReLU, elu, selu) hold a
 * user's implementation to the same rule, with any subgradient accepted at the kink, and never
 * to the core's fast engine.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type BackendName, useBackend } from "../src/backend/mod.ts";
import { requireWebgpu, restoreBackendAfter, webgpuTests } from "../src/backend/testing.ts";
import { eluDerivative } from "./activations/elu-derivative.ts";
import { leakyReluDerivative } from "./activations/leaky-relu-derivative.ts";
import { reluDerivative } from "./activations/relu-derivative.ts";
import { seluDerivative } from "./activations/selu-derivative.ts";
import { sigmoidDerivative } from "./activations/sigmoid-derivative.ts";
import { tanhDerivative } from "./activations/tanh-derivative.ts";
import { assertLaw, LawViolation } from "./assert-law.ts";
import { WEBGPU_CI_RUNS } from "./harness.ts";
import { glorotConditionOfLayer } from "./initializers/glorot-condition.ts";
import { optimizerStep } from "./engine/optimizer-step.ts";
import { type ActivationSpec, type Optimizer, type OptimizerSpec, SELU_ALPHA, SELU_LAMBDA, withFaultPoint } from "../src/core/mod.ts";
import { TEST_SEED } from "./_internals/test-seed.ts";
import { expectImplementation, type ActivationTruth } from "./_internals/activation-check.ts";
import { toleranceFor } from "./tolerance.ts";

const seed = TEST_SEED;
restoreBackendAfter(test);

const softplusSigmoid = (z: tf.Tensor) => tf.exp(tf.neg(tf.softplus(tf.neg(z))));
const naiveSigmoid = (z: tf.Tensor) => tf.div(1, tf.add(1, tf.exp(tf.neg(z))));

/** The rejection of `promise`, which must be a LawViolation. */
async function violation(promise: Promise<void>): Promise<LawViolation> {
  const error = await promise.then(() => null, (e: unknown) => e);
  assert.instance(error, LawViolation, `expected a LawViolation, got ${error}`);
  return error as LawViolation;
}

for (const backend of ["cpu", "wasm"] as const) {
  test(`a user's softplus-based sigmoid and tf.tanh pass on ${backend}`, async () => {
    await assertLaw(sigmoidDerivative((_spec, z) => softplusSigmoid(z)), { backend, seed });
    await assertLaw(tanhDerivative((_spec, z) => tf.tanh(z)), { backend, seed });
  });
}

/** α of a leaky-ReLU spec (the law draws it). */
const alphaOf = (spec: ActivationSpec) => (spec.name === "leakyRelu" ? spec.alpha : NaN);
/** e^x − 1 for x ≤ 0 as a user writes it without expm1, and elu from it with relu and minimum (tf.where has no gradient for its condition). */
const expm1 = (z: tf.Tensor) => tf.sub(tf.exp(z), 1);
const userElu = (z: tf.Tensor) => tf.add(tf.relu(z), expm1(tf.minimum(z, 0)));
const userSelu = (z: tf.Tensor, below = SELU_LAMBDA * SELU_ALPHA) => tf.add(tf.mul(SELU_LAMBDA, tf.relu(z)), tf.mul(below, expm1(tf.minimum(z, 0))));

// webgpu (Deno, where an adapter is found or GRADLAB_REQUIRE_WEBGPU=1) at the CI count of properties/webgpu.test.ts
const gpu = await webgpuTests();
const userBackends: [BackendName, number | undefined][] = [["cpu", undefined], ["wasm", undefined], ...(gpu.run ? [["webgpu", WEBGPU_CI_RUNS] as [BackendName, number]] : [])];
for (const [backend, runs] of userBackends) {
  test(`a user's relu, leaky ReLU, elu and selu pass on ${backend}, tfjs's own ops and hand-written ones`, async () => {
    if (backend === "webgpu") requireWebgpu(gpu.info);
    const options = { backend, seed, runs };
    await assertLaw(reluDerivative((_spec, z) => tf.relu(z)), options);
    await assertLaw(reluDerivative((_spec, z) => tf.maximum(z, 0)), options); // relu′(0) = 1: a subgradient
    await assertLaw(leakyReluDerivative((spec, z) => tf.leakyRelu(z, alphaOf(spec))), options);
    await assertLaw(leakyReluDerivative((spec, z) => tf.maximum(z, tf.mul(alphaOf(spec), z))), options);
    await assertLaw(eluDerivative((_spec, z) => tf.elu(z)), options);
    await assertLaw(eluDerivative((_spec, z) => userElu(z)), options); // e^x − 1 near 0: the floor
    await assertLaw(seluDerivative((_spec, z) => tf.selu(z)), options); // overflows beyond F32_MAX/λ
    await assertLaw(seluDerivative((_spec, z) => userSelu(z)), options);
  });
}

test("a wrong relu, leaky ReLU, elu or selu fails with its counterexample", async () => {
  const oneEverywhere = (_spec: ActivationSpec, z: tf.Tensor) => tf.customGrad((x) => ({ value: tf.relu(x as tf.Tensor), gradFunc: (dy: tf.Tensor) => dy }))(z);
  const cases = [
    [reluDerivative(oneEverywhere), /relu′\(x\), \d+ kernels, at x = .*\(at 0, any value in \[0, 1\]\); element\[\d+\]: got 1, expected 0/],
    [leakyReluDerivative((spec, z) => tf.leakyRelu(z, 2 * alphaOf(spec))), /leakyRelu′?\(x\), \d+ kernels, at x = .*: got -?[\d.e-]+, expected -?[\d.e-]+/],
    [eluDerivative((_spec, z) => tf.add(tf.relu(z), tf.mul(2, expm1(tf.minimum(z, 0))))), /elu′?\(x\), \d+ kernels, at x = /],
    // (x + |x|)/2 through sqrt(x²): right everywhere but at 0, where tf.grad gives 0/0 = NaN, no subgradient
    [reluDerivative((_spec, z) => tf.div(tf.add(z, tf.sqrt(tf.square(z))), 2)), /relu′\(x\), \d+ kernels, at x = .*\(at 0, any value in \[0, 1\]\); element\[\d+\]: got NaN, expected 0/],
    [seluDerivative((_spec, z) => userSelu(z, SELU_LAMBDA)), /selu′?\(x\), \d+ kernels, at x = /],
  ] as const;
  for (const [law, message] of cases) {
    const v = await violation(assertLaw(law, { backend: "cpu", seed }));
    assert.ok(v.result.counterexample !== null, v.message);
    assert.match(v.message, message);
  }
});

test("a user's activation is judged on its own code, not the core's: with the fast engine's relu′ and selu′ broken, the core's laws fail and a user's pass", async () => {
  await withFaultPoint("activations/relu-derivative-one", async () => {
    await violation(assertLaw(reluDerivative(), { backend: "cpu", seed }));
    await assertLaw(reluDerivative((_spec, z) => tf.relu(z)), { backend: "cpu", seed });
  });
  await withFaultPoint("activations/selu-derivative-alpha-lost", async () => {
    await violation(assertLaw(seluDerivative(), { backend: "cpu", seed }));
    await assertLaw(seluDerivative((_spec, z) => tf.selu(z)), { backend: "cpu", seed });
  });
});

test("the naive sigmoid fails with its shrunk counterexample, the tolerance and a replay that fails the same way", async () => {
  const law = sigmoidDerivative((_spec, z) => naiveSigmoid(z));
  const first = await violation(assertLaw(law, { backend: "cpu", seed }));
  const c = first.result.counterexample!;
  assert.ok(c !== null, first.message);
  for (const part of ["law sigmoid-derivative failed on cpu", `seed ${seed}`, "counterexample (shrunk", "tolerance: |f̂ − f|", "kernels", `replay: assertLaw(law, { backend: "cpu", seed: ${seed}, path: "${c.path}" })`]) {
    assert.ok(first.message.includes(part), `${part} in:\n${first.message}`);
  }
  const again = await violation(assertLaw(law, { backend: "cpu", seed, path: c.path }));
  assert.is(again.result.counterexample?.value, c.value);
  assert.is(again.result.counterexample?.error, c.error);
});

test("a tf.layers.dense with Glorot-uniform weights meets the Glorot condition; with He weights it fails", async () => {
  const dense = (init: "glorotUniform" | "heNormal") => glorotConditionOfLayer(({ units }, s) =>
    tfl.layers.dense({ units, useBias: false, kernelInitializer: tfl.initializers[init]({ seed: s }) }));
  await assertLaw(dense("glorotUniform"), { backend: "cpu", seed });
  const he = await violation(assertLaw(dense("heNormal"), { backend: "cpu", seed }));
  assert.match(he.message, /the layer \d+→\d+: (forward|backward) mean/);
});

test("optimizer-step: the core's optimizers and tfjs's SGD behind an adapter pass; an SGD at half the rate fails", async () => {
  const tfjsSgd = (rate: (spec: OptimizerSpec) => number) => (spec: OptimizerSpec, variables: tf.Variable[]): Optimizer => {
    const o = tf.train.sgd(rate(spec));
    return { apply: (g) => o.applyGradients(Object.fromEntries(variables.map((v, i) => [v.name, g[i]]))), dispose: () => o.dispose() };
  };
  await assertLaw(optimizerStep(), { backend: "cpu", seed });
  await assertLaw(optimizerStep(tfjsSgd((s) => s.learningRate), ["sgd"]), { backend: "cpu", seed });
  const half = await violation(assertLaw(optimizerStep(tfjsSgd((s) => s.learningRate / 2), ["sgd"]), { backend: "cpu", seed }));
  assert.match(half.message, /sgd step 1, variable \d+\[\d+\]: got/);
});

test("a user's implementation is held to its own float32 error: one ulp of σ′ at x ≈ 1e-8 passes, 2⁻¹⁰ does not", async () => {
  await useBackend("cpu");
  const sigmoid: ActivationTruth = {
    spec: { name: "sigmoid" },
    symbol: "σ",
    value64: (x) => 1 / (1 + Math.exp(-x)),
    derivative64: (x) => Math.exp(-x) / (1 + Math.exp(-x)) ** 2,
    condition: (x) => Math.abs(x) * Math.max(1 - 1 / (1 + Math.exp(-x)), Math.abs(Math.tanh(x / 2))),
    curvature: (x) => Math.abs(Math.tanh(x / 2)),
    maxThirdDerivative: 1 / 8,
  };
  const xs = [1e-8, -1e-8, 17.3, -88, 88.7];
  await expectImplementation((_spec, z) => softplusSigmoid(z), sigmoid, toleranceFor("cpu"), xs);
  const off = (_spec: unknown, z: tf.Tensor) => {
    const f = tf.customGrad((x) => ({
      value: softplusSigmoid(x as tf.Tensor),
      gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.mul(tf.sigmoid(x as tf.Tensor), tf.mul(tf.sigmoid(tf.neg(x as tf.Tensor)), 1 + 2 ** -10))),
    }));
    return f(z);
  };
  let message = "";
  await expectImplementation(off, sigmoid, toleranceFor("cpu"), [1e-8]).catch((e: Error) => (message = e.message));
  assert.match(message, /tf.grad.s σ′\(x\), \d+ kernels, at x = \[9.99999994e-9\]; element\[0\]: got 0.250244141/);
});

test("assertLaw refuses a bad seed, run count or backend before it runs anything", async () => {
  const law = sigmoidDerivative((_spec, z) => softplusSigmoid(z));
  await assertLaw(law, { seed: -1 }).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /assertLaw: seed: expected an integer/));
  await assertLaw(law, { runs: 0 }).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /assertLaw: runs: expected a positive integer/));
  await assertLaw(law, { backend: "webgl" as BackendName }).then(() => assert.unreachable(), (e: Error) =>
    assert.match(e.message, /assertLaw: backend: expected one of cpu, wasm, webgpu, tensorflow, tensorflow-gpu, got "webgl"/));
});

test.run();
