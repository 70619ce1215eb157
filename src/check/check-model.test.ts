import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { F32_U, gamma, toleranceFor } from "../../properties/mod.ts";
import { type BackendName, useBackend } from "../backend/mod.ts";
import { loss, validate } from "../core/mod.ts";
import { standardNormalBatch } from "./batch.ts";
import { makeTargets } from "./check-loss.ts";
import { checkModel } from "./check-model.ts";
import { checkReportSchema } from "./check-report.ts";
import { checkText } from "./check-text.ts";
import { UnsupportedModelError } from "./layer-chain.ts";
import { mlp784 } from "./testing.ts";

let backend: BackendName;
test.before(async () => {
  backend = (await useBackend()).name;
});

const seeded = (seed: number) => tfl.initializers.glorotUniform({ seed });

test("784→64→64→64→10 sigmoid with tfjs-layers' Glorot init: vanishing in its first layer; with ReLU and He init: healthy", async () => {
  const sigmoid = await checkModel(mlp784("sigmoid", "glorotNormal", 1), { seed: 7 });
  validate(checkReportSchema, sigmoid, "sigmoid report");
  assert.is(sigmoid.verdict, "vanishing");
  assert.is(sigmoid.layers[0]!.kernel!.verdict, "vanishing");
  assert.ok(sigmoid.layers[0]!.kernel!.ratioToLast! < sigmoid.thresholds.gradientRatio.vanishingBelow);
  assert.is(sigmoid.layers[3]!.kernel!.ratioToLast, 1);
  assert.match(sigmoid.findings[0]!, /^layer 1 dense_Dense\d+: mean \|∂L\/∂W\| .* below 0\.1: vanishing$/);
  assert.is(sigmoid.glorot.backward, "shrinks", "the backward variance shrinks per sigmoid layer (σ′ ≤ 1/4)");
  assert.is(sigmoid.glorot.hiddenBlocks, 3, "the Glorot summary spans the hidden blocks, not the input's or the output's");
  assert.match(checkText(sigmoid), /: VANISHING\n/);

  const relu = await checkModel(mlp784("relu", "heNormal", 1), { seed: 7 });
  validate(checkReportSchema, relu, "relu report");
  assert.is(relu.verdict, "healthy", relu.findings.join("\n"));
  assert.equal(relu.layers.map((l) => l.kernel!.verdict), ["healthy", "healthy", "healthy", "healthy"]);
  assert.is(relu.loss.name, "softmaxCrossEntropy", "no compiled loss, a linear 10-unit output: logits");
  assert.match(relu.batch.targets, "random class labels, uniform over 10 classes, seed 7");
});

/** 6 → 8 (tanh) → BN → 8 (relu) → 3, small enough to recompute every number directly. */
function small(seed: number, dropout = false): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 8, activation: "tanh", inputShape: [6], kernelInitializer: seeded(seed), biasInitializer: "zeros" }),
      tfl.layers.batchNormalization(),
      ...(dropout ? [tfl.layers.dropout({ rate: 0.5 })] : []),
      tfl.layers.dense({ units: 8, activation: "relu", kernelInitializer: seeded(seed + 1) }),
      tfl.layers.dense({ units: 3, kernelInitializer: seeded(seed + 2) }),
    ],
  });
}

test("the numbers are the model's own: gradients equal tf.variableGrads on model.apply bit for bit; the logits' gradient variance matches (p − y)/N in float64", async () => {
  const model = small(11);
  const report = await checkModel(model, { seed: 3, rows: 32 });
  // The same loss straight through tfjs-layers (BN on batch statistics), without check's probes:
  // adding a zero probe is exact, so the gradients must be the same bits.
  const batch = standardNormalBatch(32, 6, 3);
  const x = tf.tensor2d(batch.x, [32, 6]);
  const oneHot = report.batch.targets.startsWith("random class labels");
  assert.ok(oneHot);
  const saved = model.layers[1]!.nonTrainableWeights.map((w) => tf.clone(w.read()));
  let trained: tf.Tensor | null = null;
  const { grads } = tf.variableGrads(() => {
    const logits = model.apply(x, { training: true }) as tf.Tensor2D;
    trained = tf.keep(logits);
    return loss("softmaxCrossEntropy", logits, targetsOf(report, logits.shape[0]));
  }, model.trainableWeights.map((w) => w.read() as tf.Variable));
  model.layers[1]!.nonTrainableWeights.forEach((w, i) => w.write(saved[i]!));
  for (const layer of report.layers) {
    for (const w of layer.weights) {
      const g = Object.entries(grads).find(([name]) => name.startsWith(w.name))![1];
      assert.is(w.meanAbsGradient, (await tf.mean(tf.abs(g)).data())[0], `${w.name}: mean |∂L/∂W|`);
    }
  }
  // ∂L/∂logits = (softmax(z) − y)/N; its variance in float64 against the check's float32 one.
  const logits = Array.from(await trained!.data());
  const y = Array.from(targetsOf(report, 32).dataSync());
  const g: number[] = [];
  for (let r = 0; r < 32; r++) {
    const z = logits.slice(3 * r, 3 * r + 3);
    const m = Math.max(...z), e = z.map((v) => Math.exp(v - m)), s = e.reduce((a, b) => a + b, 0);
    for (let c = 0; c < 3; c++) g.push((e[c]! / s - y[3 * r + c]!) / 32);
  }
  const mean = g.reduce((a, b) => a + b, 0) / g.length;
  const variance = g.reduce((a, b) => a + (b - mean) ** 2, 0) / g.length;
  // float32: the variance sums 96 squares (γ₉₆) of elements each within a few kernel errors of
  // softmax (exp, sum, divide: 4 kernels, squared: ×2)
  const rtol = gamma(96) + 8 * toleranceFor(backend).kernelUlps * F32_U;
  const got = report.layers[3]!.backwardVariance!;
  assert.ok(Math.abs(got - variance) <= rtol * variance, `Var(∂L/∂logits) ${got} vs ${variance} (rtol ${rtol})`);
  tf.dispose([x, trained!, ...Object.values(grads), ...saved]);
});

/** The check's random one-hot targets, drawn again from its seed by check-loss.ts's makeTargets. */
function targetsOf(report: { batch: { seed: number } }, rows: number): tf.Tensor2D {
  const choice = { name: "softmaxCrossEntropy", origin: "output", why: "", targets: "classes" } as const;
  return makeTargets(choice, standardNormalBatch(rows, 6, report.batch.seed), 3, report.batch.seed, "").targets;
}

/** Resolves when `run` rejects with an error whose message matches `pattern`. */
async function rejects(run: () => Promise<unknown>, pattern: RegExp, check: (e: Error) => boolean = () => true): Promise<void> {
  try {
    await run();
  } catch (e) {
    assert.match((e as Error).message, pattern);
    assert.ok(check(e as Error), `the error's class: ${(e as Error).name}`);
    return;
  }
  assert.unreachable(`expected a rejection matching ${pattern}`);
}

test("a linear net with W = c·I (c = ½): every variance ratio is exactly c² in both directions, every kernel's mean |∂L/∂W| the same", async () => {
  // h_l = c^l·x and ∂L/∂h_{l−1} = c·∂L/∂h_l; scaling by a power of two is exact in float32, so
  // the variances scale exactly too. ∂L/∂W_l = h_{l−1}ᵀ·δ_l = c^(L−1)·xᵀ·δ_L for every l.
  const layer = (i: number) => tfl.layers.dense({ units: 8, useBias: false, kernelInitializer: tfl.initializers.identity({ gain: 0.5 }), ...(i === 0 ? { inputShape: [8] } : {}) });
  const report = await checkModel(tfl.sequential({ layers: [0, 1, 2, 3].map(layer) }), { seed: 2, rows: 32 });
  assert.equal(report.blocks.slice(1).map((b) => b.forwardRatio), [0.25, 0.25, 0.25, 0.25]);
  assert.equal(report.blocks.slice(1).map((b) => b.backwardRatio), [0.25, 0.25, 0.25, 0.25]);
  assert.equal([report.glorot.forwardRatio, report.glorot.backwardRatio, report.glorot.forward, report.glorot.backward], [0.25, 0.25, "shrinks", "shrinks"]);
  assert.equal(report.layers.map((l) => l.kernel!.ratioToLast), [1, 1, 1, 1]);
  assert.is(report.verdict, "healthy");
});

test("saturated and dead shares count what the definitions say, recomputed in float64 from the weights", async () => {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 16, activation: "tanh", inputShape: [5], kernelInitializer: tfl.initializers.randomNormal({ stddev: 1.5, seed: 8 }) }),
      tfl.layers.dense({ units: 16, activation: "sigmoid", kernelInitializer: tfl.initializers.randomNormal({ stddev: 2, seed: 10 }) }),
      tfl.layers.dense({ units: 16, activation: "relu", kernelInitializer: seeded(9), biasInitializer: tfl.initializers.constant({ value: -0.5 }) }),
      tfl.layers.dense({ units: 2, kernelInitializer: seeded(11) }),
    ],
  });
  const report = await checkModel(model, { seed: 4, rows: 24 });
  const x = standardNormalBatch(24, 5, 4).x;
  const [w1, b1, w2, b2, w3, b3] = model.getWeights().map((w) => Array.from(w.dataSync()));
  const dense = (input: number[], w: number[], b: number[], n: number, k: number, f: (z: number) => number) =>
    Array.from({ length: input.length / k * n }, (_, i) => {
      const r = Math.floor(i / n), c = i % n;
      let z = b[c]!;
      for (let j = 0; j < k; j++) z += input[r * k + j]! * w[j * n + c]!;
      return f(z);
    });
  const h1 = dense(Array.from(x), w1!, b1!, 16, 5, Math.tanh);
  const h2 = dense(h1, w2!, b2!, 16, 16, (z) => 1 / (1 + Math.exp(-z)));
  const h3 = dense(h2, w3!, b3!, 16, 16, (z) => Math.max(0, z));
  // tanh′ = 1 − h² below 0.1 of its maximum 1; values within float32 error of the edge may go
  // either way. The shares are float32 means: count/n to the nearest count.
  const saturated = h1.filter((h) => 1 - h * h < 0.1).length, edge = h1.filter((h) => Math.abs(1 - h * h - 0.1) < 1e-5).length;
  assert.ok(Math.abs(Math.round(report.layers[0]!.saturatedShare! * h1.length) - saturated) <= edge, `saturated ${report.layers[0]!.saturatedShare} vs ${saturated}/${h1.length}`);
  assert.ok(saturated > 0 && saturated < h1.length, "the case has both kinds");
  // σ′ = σ(1 − σ) below 0.1 of its maximum 1/4
  const sat2 = h2.filter((h) => h * (1 - h) < 0.025).length, edge2 = h2.filter((h) => Math.abs(h * (1 - h) - 0.025) < 1e-5).length;
  assert.ok(Math.abs(Math.round(report.layers[1]!.saturatedShare! * h2.length) - sat2) <= edge2, `sigmoid saturated ${report.layers[1]!.saturatedShare} vs ${sat2}/${h2.length}`);
  assert.ok(sat2 > 0 && sat2 < h2.length, "the sigmoid case has both kinds");
  const dead = Array.from({ length: 16 }, (_, c) => h3.filter((_, i) => i % 16 === c).every((v) => v <= 0)).filter(Boolean).length;
  assert.is(Math.round(report.layers[2]!.deadShare! * 16), dead, "the share is a float32 count/16");
  assert.ok(dead > 0 && dead < 16, `the case has both kinds (${dead} dead)`);
});

test("batch norm runs on the batch's statistics (its output has variance ≈ 1 per unit) and is left as it was; dropout is off; no tensor is left behind", async () => {
  const model = small(21, true);
  const before = model.getWeights().map((w) => Array.from(w.dataSync()));
  const tensors = tf.memory().numTensors;
  const report = await checkModel(model, { seed: 5, rows: 64 });
  assert.is(tf.memory().numTensors, tensors, "every tensor freed");
  assert.equal(model.getWeights().map((w) => Array.from(w.dataSync())), before, "weights and moving averages unchanged");
  const bn = report.layers[1]!;
  // Training-mode BN with γ = 1, β = 0: each unit's output is (z − μ)/√(σ² + ε), variance σ²/(σ² + ε) ≤ 1.
  assert.ok(Math.abs(bn.forwardMean!) < 1e-6, `mean ${bn.forwardMean}`);
  assert.ok(bn.forwardVariance! > 0.95 && bn.forwardVariance! <= 1 + 1e-6, `variance ${bn.forwardVariance}`);
  // The same weights without the Dropout layer give the same numbers: dropout did nothing.
  const plain = small(21);
  plain.setWeights(model.getWeights());
  const without = await checkModel(plain, { seed: 5, rows: 64 });
  const kernels = (r: typeof report) => r.layers.flatMap((l) => (l.kernel ? [l.kernel.meanAbsGradient] : []));
  assert.equal(kernels(report), kernels(without));
  assert.equal(report.blocks.map((b) => b.layers.length), [0, 3, 1, 1], "block 1 is dense, batch norm, dropout");
});

test("a functional model with Flatten, BatchNormalization, Activation, Dropout, LeakyReLU and a softmax output; the loss follows the output", async () => {
  const input = tfl.input({ shape: [4, 4] });
  let h = tfl.layers.flatten().apply(input) as tfl.SymbolicTensor;
  h = tfl.layers.dense({ units: 12, kernelInitializer: seeded(1) }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.batchNormalization().apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.activation({ activation: "sigmoid" }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.dropout({ rate: 0.2 }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.dense({ units: 12, kernelInitializer: seeded(2) }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.leakyReLU({ alpha: 0.1 }).apply(h) as tfl.SymbolicTensor;
  const output = tfl.layers.dense({ units: 4, activation: "softmax", kernelInitializer: seeded(3) }).apply(h) as tfl.SymbolicTensor;
  const report = await checkModel(tfl.model({ inputs: input, outputs: output }), { seed: 9, rows: 16 });
  validate(checkReportSchema, report, "functional report");
  assert.equal(report.layers.map((l) => l.className), ["InputLayer", "Flatten", "Dense", "BatchNormalization", "Activation", "Dropout", "Dense", "LeakyReLU", "Dense"]);
  assert.is(report.loss.name, "categoricalCrossentropy");
  assert.equal(report.blocks.map((b) => b.units), [16, 12, 12, 4]);
  assert.is(report.layers[4]!.saturatedShare !== null, true, "the sigmoid Activation layer is measured for saturation");

  const compiled = mlpSmall();
  compiled.compile({ optimizer: "sgd", loss: "meanSquaredError" });
  const r = await checkModel(compiled, { seed: 1, rows: 8 });
  assert.equal([r.loss.name, r.loss.origin], ["meanSquaredError", "compiled"]);
  assert.match(r.batch.targets, "random targets N(0, 1)");
});

function mlpSmall(activation: "relu" | "sigmoid" = "relu") {
  return tfl.sequential({ layers: [tfl.layers.dense({ units: 5, activation, inputShape: [3], kernelInitializer: seeded(4) }), tfl.layers.dense({ units: 2, kernelInitializer: seeded(5) })] });
}

test("exploding: a layer whose gradient is far above the last layer's; a NaN weight; notes for dead ReLUs and saturated sigmoids", async () => {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 8, activation: "tanh", inputShape: [4], kernelInitializer: seeded(1) }),
      tfl.layers.dense({ units: 8, activation: "tanh", kernelInitializer: tfl.initializers.randomUniform({ minval: -1e-3, maxval: 1e-3, seed: 2 }) }),
      tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.randomUniform({ minval: -1e3, maxval: 1e3, seed: 3 }) }),
    ],
  });
  const big = await checkModel(model, { seed: 2, rows: 16 });
  assert.is(big.verdict, "exploding");
  assert.is(big.layers[1]!.kernel!.verdict, "exploding", "tiny layer-2 outputs starve the last layer's gradient while ∂L/∂h₂ is huge");

  const broken = mlpSmall();
  const [kernel, ...rest] = broken.getWeights();
  const values = kernel!.dataSync().slice();
  values[0] = NaN;
  broken.setWeights([tf.tensor(values, kernel!.shape), ...rest]);
  const nan = await checkModel(broken, { seed: 1, rows: 8 });
  assert.is(nan.verdict, "exploding");
  assert.is(nan.loss.value, null);
  assert.match(nan.nonFinite[0]!, "the loss is NaN");
  validate(checkReportSchema, JSON.parse(JSON.stringify(nan)), "a report with non-finite numbers");

  const dead = tfl.sequential({ layers: [tfl.layers.dense({ units: 6, activation: "relu", inputShape: [3], biasInitializer: tfl.initializers.constant({ value: -100 }) }), tfl.layers.dense({ units: 2 })] });
  const d = await checkModel(dead, { seed: 1, rows: 16 });
  assert.is(d.layers[0]!.deadShare, 1);
  assert.match(d.layers[0]!.notes[0]!, "100% of its ReLU units are dead on this batch (above 50%)");
  const saturated = tfl.sequential({ layers: [tfl.layers.dense({ units: 6, activation: "sigmoid", inputShape: [3], kernelInitializer: tfl.initializers.constant({ value: 50 }) }), tfl.layers.dense({ units: 2 })] });
  const s = await checkModel(saturated, { seed: 1, rows: 16 });
  assert.ok(s.layers[0]!.saturatedShare! > 0.5, `saturated ${s.layers[0]!.saturatedShare}`);
  assert.match(s.layers[0]!.notes[0]!, "of its sigmoid activations are saturated");
});

test("unsupported models are refused naming the layer's class: a Conv2D, a branch, a batch of the wrong width", async () => {
  const conv = tfl.sequential({ layers: [tfl.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [8, 8, 1] }), tfl.layers.flatten(), tfl.layers.dense({ units: 2 })] });
  await rejects(() => checkModel(conv, { seed: 1, source: "m.json" }), /m\.json: layer 1 "conv2d_Conv2D\d+" is a Conv2D, which gradlab check does not support; supported layers: InputLayer, Dense/, (e) => e instanceof UnsupportedModelError);
  const input = tfl.input({ shape: [3] });
  const a = tfl.layers.dense({ units: 3 }).apply(input) as tfl.SymbolicTensor;
  const sum = tfl.layers.add().apply([a, input]) as tfl.SymbolicTensor;
  await rejects(() => checkModel(tfl.model({ inputs: input, outputs: sum }), { seed: 1 }), /is a Add, which gradlab check does not support/);
  const shared = tfl.layers.dense({ units: 3 });
  const twice = shared.apply(shared.apply(input)) as tfl.SymbolicTensor;
  await rejects(() => checkModel(tfl.model({ inputs: input, outputs: twice }), { seed: 1 }), /layer 2 "dense_Dense\d+" is fed by "input\d+", "dense_Dense\d+", not by the layer before it \("input\d+"\); gradlab check follows a chain of layers/);
  await rejects(() => checkModel(mlpSmall(), { seed: 1, batch: standardNormalBatch(4, 5, 1) }), /standard normal N\(0, 1\), seed 1: 5 features per row; the model's input \[3\] takes 3/);
});

test.run();
