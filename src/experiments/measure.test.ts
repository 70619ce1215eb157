import { test } from "uvu";
import * as assert from "uvu/assert";
import type { TrainResult } from "../core/mod.ts";
import type { Run } from "./definition.ts";
import { checkExpr, evaluate, type MeasureContext } from "./measure.ts";
import type { Expr } from "./measure-schema.ts";

/**
 * A hand-made train result: 2 kernels and their biases, 3 epochs, 2 recorded steps per epoch
 * with meanAbs of kernel 1 = epoch·10 + k, of kernel 2 = 1 (k = 1, 2: the step within the
 * epoch), global norms 5, 20, 8, 30, 2, 16 against a clipping limit of 15.
 */
function result(): TrainResult {
  const steps = [];
  const norms = [5, 20, 8, 30, 2, 16];
  for (let e = 1; e <= 3; e++) {
    for (let k = 1; k <= 2; k++) {
      const g: number = norms[steps.length];
      const factor = g > 15 ? 15 / g : 1;
      steps.push({
        iteration: steps.length * 3,
        epoch: e,
        loss: 1,
        meanAbs: [e * 10 + k, 0, 1, 0],
        l2: [3, 4, 1, 2],
        globalNorm: g,
        clippedL2: [3 * factor, 4 * factor, 1 * factor, 2 * factor],
        clippedGlobalNorm: g * factor,
      });
    }
  }
  return {
    engine: "autodiff",
    parameterNames: ["dense1/kernel", "dense1/bias", "dense2/kernel", "dense2/bias"],
    parameterShapes: [[2, 2], [2], [2, 1], [1]],
    iterations: 9,
    iterationsPerEpoch: 3,
    epochs: [1, 2, 3].map((epoch) => ({ epoch, lossSum: 3 * epoch, lossMean: epoch, testAccuracy: 0.5 + epoch / 10 })),
    steps,
    snapshots: [
      { epoch: 0, weights: [[1, 1, 2, 2], [0, 0], [3, 3], [0]] },
      { epoch: 1, weights: [[1, 1.5, 2, 2], [0, 0.25], [3, 2], [0]] },
    ],
  } as unknown as TrainResult;
}

const run: Run = {
  name: "net",
  kind: "train",
  description: "",
  model: {
    inputSize: 2,
    layers: [
      { units: 2, activation: { name: "sigmoid" }, kernelInitializer: { name: "zeros" }, useBias: true },
      { units: 1, activation: { name: "linear" }, kernelInitializer: { name: "zeros" }, useBias: true },
    ],
  },
  training: {
    loss: "softmaxCrossEntropy",
    optimizer: { name: "sgd", learningRate: 0.1 },
    batchSize: 1,
    epochs: 3,
    shuffle: false,
    clipping: { name: "globalNorm", maxNorm: 15 },
    seed: 1,
    record: { every: 3, epochEndValues: true },
  },
};
const pairs: Run = { name: "pairs", kind: "activation-derivatives", description: "", activations: [{ name: "sigmoid" }, { name: "tanh" }], grid: { min: -1, max: 1, stepsPerUnit: 1 } };

const ctx: MeasureContext = {
  runs: [run, pairs],
  train: new Map([["net", result()]]),
  entries: new Map([["pairs", [{ activation: "sigmoid", max: 0.25 }, { activation: "tanh", max: 1 }]]]),
  measures: { spread: { div: [{ gradient: { run: "net", layer: 1 } }, { gradient: { run: "net", layer: -1 } }] } },
};
const at = (e: Expr) => evaluate(e, ctx);

test("metric and curve read an epoch's metric, 1-based or from the end", () => {
  assert.is(at({ metric: { run: "net", name: "lossMean" } }), 3);
  assert.is(at({ metric: { run: "net", name: "lossMean", epoch: 1 } }), 1);
  assert.is(at({ metric: { run: "net", name: "lossMean", epoch: -2 } }), 2);
  assert.equal(at({ curve: { run: "net", name: "lossSum" } }), [3, 6, 9]);
});

test("gradient averages a kernel's statistic over the steps of a window, or over epochs of each epoch's mean", () => {
  // kernel 1: 11 12 21 22 31 32; kernels are found by name, biases skipped
  assert.is(at({ gradient: { run: "net", layer: 1 } }), (11 + 12 + 21 + 22 + 31 + 32) / 6);
  assert.equal(at({ gradient: { run: "net", layer: "each" } }), [(11 + 12 + 21 + 22 + 31 + 32) / 6, 1]);
  assert.is(at({ gradient: { run: "net", layer: 1, epochs: -1 } }), 31.5);
  assert.is(at({ gradient: { run: "net", layer: 1, epochs: [1, 2] } }), (11 + 12 + 21 + 22) / 4);
  assert.is(at({ gradient: { run: "net", layer: 1, average: "epochs" } }), (11.5 + 21.5 + 31.5) / 3);
  assert.is(at({ gradient: { run: "net", layer: -1, stat: "l2" } }), 1);
});

test("steps filter by the run's clipping limit and compute per-step clipping statistics", () => {
  assert.equal(at({ steps: { run: "net", of: "globalNorm", where: "clipped" } }), [20, 30, 16]);
  assert.equal(at({ steps: { run: "net", of: "iteration", where: "not-clipped" } }), [0, 6, 12]);
  assert.equal(at({ steps: { run: "net", of: "largestClipChange", where: "not-clipped" } }), [0, 0, 0]);
  const errors = at({ steps: { run: "net", of: "clipFactorError", where: "clipped" } }) as number[];
  for (const e of errors) assert.ok(e < 1e-15, `${e}`);
  assert.equal(at({ steps: { run: "net", of: "kernelSpread" } }), [11, 12, 21, 22, 31, 32]);
  assert.is(at({ count: { steps: { run: "net", of: "iteration", where: "clipped" } } }), 3);
  assert.is(at({ first: { steps: { run: "net", of: "iteration", where: "clipped" } } }), 3);
});

test("symmetryGap: the largest spread between hidden units' incoming weights, biases and outgoing weights over snapshots", () => {
  // snapshot 1: W1 rows (1, 1.5) → 0.5; biases (0, 0.25) → 0.25; W2 (3, 2) → 1
  assert.is(at({ symmetryGap: { run: "net" } }), 1);
});

test("operators broadcast numbers over vectors, work elementwise, and reductions take lists", () => {
  assert.equal(at({ sub: [{ curve: { run: "net", name: "lossSum" } }, 1] }), [2, 5, 8]);
  assert.equal(at({ minimum: [{ curve: { run: "net", name: "lossSum" } }, { curve: { run: "net", name: "lossMean" } }] }), [1, 2, 3]);
  assert.is(at({ max: [0, { curve: { run: "net", name: "lossMean" } }, 7] }), 7);
  assert.is(at({ mean: { curve: { run: "net", name: "lossMean" } } }), 2);
  assert.is(at({ ln: 1 }), 0);
  assert.is(at({ abs: -2 }), 2);
  assert.is(at({ measure: "spread" }), (11 + 12 + 21 + 22 + 31 + 32) / 6);
  assert.is(at({ value: { run: "pairs", where: { activation: "tanh" }, field: "max" } }), 1);
  assert.equal(at({ values: { run: "pairs", field: "max" } }), [0.25, 1]);
});

test("checkExpr names the JSON path of what the runs do not record", () => {
  const scope = { runs: [run, pairs], measures: ctx.measures };
  const problems = (e: Expr) => checkExpr(e, "/m", scope).problems;
  assert.equal(problems({ metric: { run: "net", name: "testAccuracy" } }), []);
  assert.match(problems({ metric: { run: "nett", name: "testAccuracy" } })[0], '/m/metric/run: no run named "nett" (runs: net, pairs)');
  assert.match(problems({ metric: { run: "net", name: "trainLoss" } })[0], "/m/metric/name: run net records no trainLoss: set its training.evaluateTrainSet");
  assert.match(problems({ gradient: { run: "net", layer: 3 } })[0], "/m/gradient/layer: layer 3 is beyond run net's model, which has 2 layers");
  assert.match(problems({ gradient: { run: "net", layer: 1, epochs: [1, 4] } })[0], "/m/gradient/epochs/1: epoch 4 is beyond run net");
  assert.match(problems({ value: { run: "pairs", where: { activation: "relu" }, field: "max" } })[0], '/m/value/where/activation: run pairs has no entry with activation "relu"');
  assert.match(problems({ value: { run: "pairs", where: {}, field: "max" } })[0], "/m/value/where: matches 2 entries");
  assert.match(problems({ values: { run: "pairs", field: "maxx" } })[0], '/m/values/field: a activation-derivatives run has no field "maxx"');
  // the readable fields are the numbers an entry stores, not its label (activation)
  assert.match(problems({ values: { run: "pairs", field: "activation" } })[0], '/m/values/field: a activation-derivatives run has no field "activation" (max, argmax, atMin, atMax)');
  assert.match(problems({ sub: [1, { measure: "nope" }] })[0], '/m/sub/1/measure: no measure named "nope"');
  assert.is(checkExpr({ gradient: { run: "net", layer: "each" } }, "/m", scope).shape, "vector");
  assert.is(checkExpr({ max: { gradient: { run: "net", layer: "each" } } }, "/m", scope).shape, "scalar");
});

test.run();
