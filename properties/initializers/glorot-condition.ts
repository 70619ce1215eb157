/**
 * Law (the Glorot condition, sources 001 and 003): for a dense layer y = xW with Glorot
 * weights, Var(W) = 2/(n_in + n_out), zero-mean unit-variance input x and upstream
 * gradient δ,
 *
 *   forward   E[mean((xW)²)]  = n_in·Var(W)  = 2·n_in /(n_in + n_out),
 *   backward  E[mean((δWᵀ)²)] = n_out·Var(W) = 2·n_out/(n_in + n_out).
 *
 * With n_in = n_out both are 1: variance is kept forward and backward. Otherwise neither
 * is 1 — Glorot's compromise: the two ratios average to exactly 1 (their geometric mean is
 * 2√(n_in·n_out)/(n_in + n_out) ≤ 1). Forward runs through the core's forward pass, backward
 * through tf.grad, both on the backend.
 */
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { createModel, disposeModel, initializerLabel, type InitializerSpec, type ModelSpec, Rng } from "../../src/core/mod.ts";
import { seed32 } from "../_internals/arbitraries.ts";
import { fmt, isClose } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { coreForward, inputGradient, normals } from "../_internals/model.ts";
import { kurtosis } from "../_internals/stats.ts";
import { defineLaw, type Law, type LawContext, type ToleranceUsed } from "../law.ts";
import { type BackendTolerance, F32_U, FALSE_ALARM_RATE, gamma, glorotRatioSd, Z_FALSE_ALARM } from "../tolerance.ts";
import type { CreateModel } from "../implementations.ts";

/** Rows of x and δ per check. */
const ROWS = 64;

const fans = fc.oneof(
  fc.integer({ min: 32, max: 160 }).map((n) => [n, n] as const),
  fc.tuple(fc.integer({ min: 32, max: 160 }), fc.integer({ min: 32, max: 160 })),
);

/**
 * A dense layer under test, as the law builds it for each generated fan-in and fan-out:
 * anything with `apply(x)` for a [rows, inputSize] tensor — a tfjs-layers layer such as
 * `tf.layers.dense(…)` is one — and, optionally, `dispose()`. It should have no bias (or a
 * zero one) and a linear activation: the law is about the kernel's variance.
 *
 * @example
 * const layer: DenseLayerUnderTest = tf.layers.dense({ units: 64, useBias: false });
 */
export interface DenseLayerUnderTest {
  apply(x: tf.Tensor): unknown;
  dispose?(): unknown;
}

/**
 * Builds the layer under test for a fan-in and fan-out, from a seed the law draws (pass it to
 * your initializer so that a failure replays).
 *
 * @example
 * const build: BuildDenseLayer = ({ units }, seed) =>
 *   tf.layers.dense({ units, useBias: false, kernelInitializer: tf.initializers.glorotNormal({ seed }) });
 */
export type BuildDenseLayer = (fans: { inputSize: number; units: number }, seed: number) => DenseLayerUnderTest;

const STATEMENT = "Under Glorot init with unit-variance x and δ, mean((xW)²) ≈ 2n_in/(n_in+n_out) and mean((δWᵀ)²) ≈ 2n_out/(n_in+n_out): " +
  "both 1 when n_in = n_out, and averaging to 1 otherwise (Glorot's compromise).";

/** The kurtosis assumed for a user's layer: the normal's 3, the largest of Glorot's distributions (uniform 1.8). */
const USER_KURTOSIS = kurtosis("normal");

function tolerance(kurtosisRule: string): () => ToleranceUsed {
  return () => ({
    rule: "|ratio − expected| ≤ Z·sd + 2γ_{n+2}·expected, sd over both the weights' and the inputs' randomness (normal approximation, " +
      `fans ≥ 32; ${kurtosisRule})`,
    values: { falseAlarmRate: FALSE_ALARM_RATE, z: Z_FALSE_ALARM, rows: ROWS },
  });
}

/**
 * Measures the forward and backward variance ratios of one layer (forward through `apply`,
 * backward by tf.grad through it) and checks them against Glorot's.
 */
async function expectGlorotRatios(
  apply: (x: tf.Tensor2D) => tf.Tensor,
  fans: { nIn: number; nOut: number; label: string; kappa: number },
  rng: Rng,
  bt: BackendTolerance,
): Promise<void> {
  const { nIn, nOut } = fans;
  const xs = normals(rng.fork("x"), ROWS * nIn);
  const x = tf.tensor2d(xs, [ROWS, nIn]);
  try {
    const ySquared = tf.tidy(() => tf.mean(tf.square(apply(x))));
    const forwardRatio = (await ySquared.data())[0];
    ySquared.dispose();
    const g = await inputGradient(apply, xs, ROWS, normals(rng.fork("delta"), ROWS * nOut));
    let backwardRatio = 0;
    for (const gi of g) backwardRatio += (gi * gi) / g.length;

    const variance = 2 / (nIn + nOut);
    const unit = bt.kernelUlps * F32_U;
    const checks = [
      { what: "forward mean((xW)²)", got: forwardRatio, want: nIn * variance, sd: glorotRatioSd(nIn, nOut, ROWS, variance, fans.kappa), n: nIn },
      { what: "backward mean((δWᵀ)²)", got: backwardRatio, want: nOut * variance, sd: glorotRatioSd(nOut, nIn, ROWS, variance, fans.kappa), n: nOut },
    ];
    for (const c of checks) {
      const allowed = Z_FALSE_ALARM * c.sd + 2 * gamma(c.n + 2, unit) * c.want;
      expect(isClose(c.got, c.want, { rtol: 0, atol: allowed }), () =>
        `${fans.label} ${nIn}→${nOut}: ${c.what} = ${fmt(c.got)}, expected ${fmt(c.want)} ± ${fmt(allowed)}`);
    }
  } finally {
    x.dispose();
  }
}

/** The layer's output as one tensor, or a clear error naming what it returned. */
function outputOf(layer: DenseLayerUnderTest, x: tf.Tensor2D): tf.Tensor {
  const y = layer.apply(x);
  if (!(y instanceof tf.Tensor)) {
    throw new Error(`glorot-condition: the layer's apply(x) returned ${Array.isArray(y) ? "an array" : typeof y}, expected one tf.Tensor ` +
      "(is the layer built from the same @tensorflow/tfjs-core as gradlab? tfjs must be installed once, as a peer dependency)");
  }
  return y;
}

/**
 * The law, for model creation (the core's `createModel` unless a fault is planted).
 *
 * @example
 * const law = glorotCondition();
 */
export function glorotCondition(create: CreateModel = createModel): Law {
  return defineLaw({
    name: "glorot-condition",
    group: "initializers",
    statement: STATEMENT,
    runs: 10,
    tolerance: tolerance("kurtosis of the drawn initializer: uniform 1.8, normal 3"),
    property: ({ tolerance: bt }: LawContext) =>
      fc.asyncProperty(fans, fc.constantFrom("glorotUniform" as const, "glorotNormal" as const), seed32(), async ([nIn, nOut], name, seed) => {
        const init: InitializerSpec = { name };
        const spec: ModelSpec = { inputSize: nIn, layers: [{ units: nOut, activation: { name: "linear" }, kernelInitializer: init, useBias: false }] };
        const rng = new Rng(seed);
        const model = create(spec, rng.fork("init"));
        try {
          const kappa = kurtosis(name === "glorotUniform" ? "uniform" : "normal");
          await expectGlorotRatios((x) => coreForward(model, x), { nIn, nOut, label: initializerLabel(init), kappa }, rng, bt);
        } finally {
          disposeModel(model);
        }
      }),
  });
}

/**
 * The law, for a user's dense layer: `build` makes a fresh layer for each generated fan-in
 * and fan-out (32–160, equal or not) from a seed; its kernel must satisfy the Glorot
 * condition (an initializer of variance 2/(n_in + n_out), uniform or normal).
 *
 * @example
 * const law = glorotConditionOfLayer(({ units }, seed) =>
 *   tf.layers.dense({ units, useBias: false, kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
 * await assertLaw(law);
 */
export function glorotConditionOfLayer(build: BuildDenseLayer): Law {
  return defineLaw({
    name: "glorot-condition",
    group: "initializers",
    statement: STATEMENT,
    runs: 10,
    tolerance: tolerance("kurtosis 3 (the normal's; uniform's is 1.8): a heavier-tailed kernel raises the false-alarm rate"),
    property: ({ tolerance: bt }: LawContext) =>
      fc.asyncProperty(fans, seed32(), async ([nIn, nOut], seed) => {
        const layer = build({ inputSize: nIn, units: nOut }, seed);
        try {
          await expectGlorotRatios((x) => outputOf(layer, x), { nIn, nOut, label: "the layer", kappa: USER_KURTOSIS }, new Rng(seed), bt);
        } finally {
          layer.dispose?.();
        }
      }),
  });
}
