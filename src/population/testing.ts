/**
 * Helpers for the population engine's tests: generated populations (one small architecture,
 * replicas differing in seed and hyper-parameters), the planted faults the properties must
 * catch, and the one-step comparison across orders of summation. Not exported from mod.ts.
 */
import * as tf from "@tensorflow/tfjs-core";
import fc from "fast-check";
import {
  type ClippingSpec, type ModelSpec, type OptimizerSpec, Rng, type TrainConfig, type TrainData, type TrainResult,
} from "../core/mod.ts";
import { TEST_ACTIVATIONS, testNetSpec, testTargets } from "../core/testing.ts";
import { firstDifference } from "../golden/mod.ts";
import {
  type BackendTolerance, firstStepDisplacement, gamma, arithmeticUnit, clipRtol, globalNormRtol, normRtol, reorderedGradientNorm,
  reorderedLoss,
} from "../../properties/tolerance.ts";
import type { PlantedFault } from "./_internals/batched-step.ts";

/** One generated population: a spec, one config per replica, the data. */
export interface PopulationCase {
  spec: ModelSpec;
  configs: TrainConfig[];
  data: TrainData;
}

/** 10^e for e uniform in [lo, hi], from an Rng. */
function logUniform(rng: Rng, lo: number, hi: number): number {
  return 10 ** (lo + (hi - lo) * rng.uniform());
}

/** One replica's optimizer of the given kind, its hyper-parameters drawn from `rng`. */
function optimizerOf(kind: "sgd" | "momentum" | "nesterov" | "adam", rng: Rng): OptimizerSpec {
  const learningRate = logUniform(rng, -3, -0.5);
  switch (kind) {
    case "sgd": return { name: "sgd", learningRate };
    case "momentum":
    case "nesterov": return { name: "momentum", learningRate, momentum: 0.95 * rng.uniform(), nesterov: kind === "nesterov" };
    case "adam": return { name: "adam", learningRate, beta1: 0.5 + 0.49 * rng.uniform(), beta2: 0.9 + 0.0999 * rng.uniform(), epsilon: logUniform(rng, -8, -3) };
  }
}

/** One replica's clipping of the given kind, thresholds around a gradient's size (so it bites some of the time). */
function clippingOf(kind: ClippingSpec["name"], rng: Rng): ClippingSpec {
  switch (kind) {
    case "none": return { name: "none" };
    case "value": return { name: "value", min: -logUniform(rng, -3, 0), max: logUniform(rng, -3, 0) };
    case "norm":
    case "globalNorm": return { name: kind, maxNorm: logUniform(rng, -2, 1) };
  }
}

/**
 * Populations of 1–4 replicas of a dense net (depth 1–3, any activation, bias or not, batch
 * norm or not), any loss, optimizer and clipping kind, shuffled or not, every recording option;
 * the replicas draw their own seeds (or share one) and hyper-parameters.
 * `oneStep`: one epoch of one batch (the cross-order comparison's scope).
 *
 * @example
 * fc.assert(fc.asyncProperty(populationCases(), async (c) => { … }));
 */
export function populationCases(options: { oneStep?: boolean; maxReplicas?: number } = {}): fc.Arbitrary<PopulationCase> {
  return fc.record({
    inputSize: fc.integer({ min: 1, max: 5 }),
    widths: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 2 }),
    outputs: fc.integer({ min: 2, max: 4 }),
    activation: fc.constantFrom(...TEST_ACTIVATIONS),
    useBias: fc.boolean(),
    batchNorm: fc.boolean(),
    loss: fc.constantFrom("softmaxCrossEntropy" as const, "sparseSoftmaxCrossEntropy" as const, "mse" as const),
    rows: fc.integer({ min: 3, max: 20 }),
    batchSize: fc.integer({ min: 2, max: 8 }),
    epochs: fc.integer({ min: 1, max: 2 }),
    shuffle: fc.boolean(),
    sharedSeed: fc.boolean(),
    optimizer: fc.constantFrom("sgd" as const, "momentum" as const, "nesterov" as const, "adam" as const),
    clipping: fc.constantFrom("none" as const, "value" as const, "norm" as const, "globalNorm" as const),
    every: fc.integer({ min: 0, max: 3 }),
    gradientValues: fc.boolean(),
    epochEndValues: fc.boolean(),
    initialValues: fc.boolean(),
    evaluateTrainSet: fc.boolean(),
    withTest: fc.boolean(),
    replicas: fc.integer({ min: 1, max: options.maxReplicas ?? 4 }),
    seed: fc.integer({ min: 0, max: 0xffffffff }),
  }).map((n): PopulationCase => {
    const rng = new Rng(n.seed);
    const spec = testNetSpec(n, (last) => n.batchNorm && !last);
    const rows = n.rows;
    const dataRng = rng.fork("data");
    const x = new Float32Array(rows * n.inputSize).map(() => dataRng.normal());
    const train = { x, rows, features: n.inputSize, y: testTargets(dataRng, rows, n.outputs, n.loss) };
    const testRows = 5;
    const test = { x: new Float32Array(testRows * n.inputSize).map(() => dataRng.normal()), rows: testRows, features: n.inputSize, y: testTargets(dataRng, testRows, n.outputs, n.loss) };
    const data: TrainData = { train, ...(n.withTest ? { test } : {}), source: { name: "generated", location: "generated", sha256: "", description: "" } };
    const oneStep = options.oneStep ?? false;
    const seedRng = rng.fork("seeds");
    const sharedSeed = seedRng.int(0x7fffffff);
    const configs = Array.from({ length: n.replicas }, (_, k): TrainConfig => {
      const r = rng.fork(`replica${k}`);
      return {
        loss: n.loss,
        optimizer: optimizerOf(n.optimizer, r.fork("optimizer")),
        batchSize: oneStep ? rows : n.batchSize,
        epochs: oneStep ? 1 : n.epochs,
        shuffle: n.shuffle,
        clipping: clippingOf(n.clipping, r.fork("clipping")),
        seed: n.sharedSeed ? sharedSeed : seedRng.int(0x7fffffff),
        record: oneStep
          ? { every: 1, gradientValues: true, epochEndValues: true, initialValues: true }
          : { every: n.every, gradientValues: n.gradientValues, epochEndValues: n.epochEndValues, initialValues: n.initialValues },
        evaluateTrainSet: oneStep ? false : n.evaluateTrainSet,
      };
    });
    return { spec, configs, data };
  });
}

/**
 * The faults the population properties must catch: replicas sharing replica 0's learning rate
 * (hyper-parameters not kept per replica), and 1% of replica k − 1's gradient leaking into
 * replica k's (replicas not independent).
 */
export const PLANTED_FAULTS: Record<string, PlantedFault> = {
  "shared learning rate": {
    configs: (configs) => configs.map((c) => ({ ...c, optimizer: { ...c.optimizer, learningRate: configs[0]!.optimizer.learningRate } })),
  },
  "leaked gradient": {
    gradients: (flat) => tf.tidy(() => {
      const M = flat.shape[0];
      if (M < 2) return tf.clone(flat);
      const previous = tf.concat([tf.slice(flat, [M - 1, 0], [1, -1]), tf.slice(flat, [0, 0], [M - 1, -1])]);
      return tf.add(flat, tf.mul(previous, 0.01)) as tf.Tensor2D;
    }),
  },
};

function l2(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/** The clipped gradient element as `train` would apply it, from the reference's recorded numbers (float64). */
function clippedElement(clipping: ClippingSpec, g: number, tensorNorm: number, globalNorm: number): number {
  switch (clipping.name) {
    case "none": return g;
    case "value": return Math.min(Math.max(g, clipping.min), clipping.max);
    case "norm": return g * (clipping.maxNorm / Math.max(tensorNorm, clipping.maxNorm));
    case "globalNorm": return g * (clipping.maxNorm / Math.max(globalNorm, clipping.maxNorm));
  }
}

/**
 * What differs, beyond the derived bounds (properties/tolerance.ts), between the batched
 * engine's result for one replica (`got`) and `train`'s (`ref`), for a one-step run
 * (`populationCases({ oneStep: true })`): the loss, the gradients (per tensor, in L2), every
 * recorded statistic, the initial weights (exactly), the weights after the step and the
 * training accuracy (exactly). Empty when they agree.
 *
 * @example
 * const problems = oneStepProblems(toleranceFor("webgpu"), spec, config, got, ref);
 */
export function oneStepProblems(bt: BackendTolerance, spec: ModelSpec, config: TrainConfig, got: TrainResult, ref: TrainResult): string[] {
  const problems: string[] = [];
  const shape = firstDifference(
    { names: got.parameterNames, shapes: got.parameterShapes, iterations: got.iterations, steps: got.steps.length, snapshots: got.snapshots.length },
    { names: ref.parameterNames, shapes: ref.parameterShapes, iterations: ref.iterations, steps: ref.steps.length, snapshots: ref.snapshots.length },
  );
  if (shape) return [`the results differ in shape: ${shape}`];
  const a = got.steps[0]!, r = ref.steps[0]!;
  const depth = spec.layers.length;
  const rows = got.iterationsPerEpoch === 1 ? config.batchSize : NaN;
  const longestSum = Math.max(rows, spec.inputSize, ...spec.layers.map((l) => l.units));
  const unit = arithmeticUnit(bt);
  const check = (what: string, x: number, y: number, allowed: number) => {
    if (!(Math.abs(x - y) <= allowed)) problems.push(`${what}: ${x} vs ${y} (|diff| ${Math.abs(x - y)} > ${allowed})`);
  };
  const G = Math.max(a.globalNorm, r.globalNorm);
  const tau = reorderedGradientNorm(bt, depth, longestSum, G);
  const P = ref.parameterNames.length;
  const tauAll = Math.sqrt(P) * tau;
  check("loss", a.loss, r.loss, reorderedLoss(bt, depth, longestSum, r.loss));
  check("epoch 1 lossSum", got.epochs[0]!.lossSum, ref.epochs[0]!.lossSum, reorderedLoss(bt, depth, longestSum, r.loss));
  if (got.epochs[0]!.trainAccuracy !== ref.epochs[0]!.trainAccuracy) {
    problems.push(`epoch 1 trainAccuracy: ${got.epochs[0]!.trainAccuracy} vs ${ref.epochs[0]!.trainAccuracy}`);
  }
  ref.parameterNames.forEach((name, p) => {
    const n = ref.parameterShapes[p]!.reduce((x, y) => x * y, 1);
    const diff = l2(a.values![p]!.map((v, i) => v - r.values![p]![i]!));
    if (!(diff <= tau)) problems.push(`gradient of ${name}: ‖Δ‖ = ${diff} > ${tau}`);
    check(`mean |g| of ${name}`, a.meanAbs[p]!, r.meanAbs[p]!, tau / Math.sqrt(n) + 2 * gamma(n, unit) * r.meanAbs[p]!);
    check(`‖g‖ of ${name}`, a.l2[p]!, r.l2[p]!, tau + 2 * normRtol(n, bt) * r.l2[p]!);
    if (r.clippedL2) {
      // Clipping is a projection (onto a ball or a box), 1-Lipschitz: it never widens a difference.
      const within = config.clipping.name === "globalNorm" ? tauAll : tau;
      check(`‖g‖ after clipping of ${name}`, a.clippedL2![p]!, r.clippedL2[p]!, within + 2 * (clipRtol(n, bt) + normRtol(n, bt)) * r.clippedL2[p]!);
    }
  });
  const N = ref.parameterShapes.reduce((s, sh) => s + sh.reduce((x, y) => x * y, 1), 0);
  check("global norm", a.globalNorm, r.globalNorm, tauAll + 2 * globalNormRtol(N) * r.globalNorm);
  if (r.clippedGlobalNorm !== undefined) {
    check("global norm after clipping", a.clippedGlobalNorm!, r.clippedGlobalNorm, tauAll + 2 * (clipRtol(N, bt) + globalNormRtol(N)) * r.clippedGlobalNorm);
  }
  const init = firstDifference(got.snapshots[0]!.weights, ref.snapshots[0]!.weights);
  if (init) problems.push(`initial weights ${init}`);
  const after = got.snapshots[1]!.weights, want = ref.snapshots[1]!.weights;
  ref.parameterNames.forEach((name, p) => {
    const delta = config.clipping.name === "globalNorm" ? tauAll : tau;
    for (let i = 0; i < want[p]!.length; i++) {
      const g = clippedElement(config.clipping, r.values![p]![i]!, r.l2[p]!, r.globalNorm);
      // δ widened by the float32 rounding of the reference's own clipped element against this float64 one.
      const allowed = firstStepDisplacement(bt, config.optimizer, g, delta + clipRtol(N, bt) * Math.abs(g), want[p]![i]!);
      if (!(Math.abs(after[p]![i]! - want[p]![i]!) <= allowed)) {
        problems.push(`${name}[${i}] after the step: ${after[p]![i]} vs ${want[p]![i]} (|diff| ${Math.abs(after[p]![i]! - want[p]![i]!)} > ${allowed})`);
        break;
      }
    }
  });
  return problems;
}
