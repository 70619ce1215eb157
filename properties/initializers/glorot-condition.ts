/**
 * Law (the Glorot condition, seeds 001 and 003): for a dense layer y = xW with Glorot
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
import { coreForward, type CreateModel, inputGradient, normals } from "../_internals/model.ts";
import { kurtosis } from "../_internals/stats.ts";
import { defineLaw, type Law } from "../law.ts";
import { F32_U, FALSE_ALARM_RATE, gamma, glorotRatioSd, Z_FALSE_ALARM } from "../tolerance.ts";

/** Rows of x and δ per check. */
const ROWS = 64;

const fans = fc.oneof(
  fc.integer({ min: 32, max: 160 }).map((n) => [n, n] as const),
  fc.tuple(fc.integer({ min: 32, max: 160 }), fc.integer({ min: 32, max: 160 })),
);

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
    statement: "Under Glorot init with unit-variance x and δ, mean((xW)²) ≈ 2n_in/(n_in+n_out) and mean((δWᵀ)²) ≈ 2n_out/(n_in+n_out): " +
      "both 1 when n_in = n_out, and averaging to 1 otherwise (Glorot's compromise).",
    runs: 10,
    tolerance: () => ({
      rule: "|ratio − expected| ≤ Z·sd + 2γ_{n+2}·expected, sd over both the weights' and the inputs' randomness (normal approximation, fans ≥ 32)",
      values: { falseAlarmRate: FALSE_ALARM_RATE, z: Z_FALSE_ALARM, rows: ROWS },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(fans, fc.constantFrom("glorotUniform" as const, "glorotNormal" as const), seed32(), async ([nIn, nOut], name, seed) => {
        const init: InitializerSpec = { name };
        const spec: ModelSpec = { inputSize: nIn, layers: [{ units: nOut, activation: { name: "linear" }, kernelInitializer: init, useBias: false }] };
        const rng = new Rng(seed);
        const model = create(spec, rng.fork("init"));
        try {
          const x = normals(rng.fork("x"), ROWS * nIn);
          const delta = normals(rng.fork("delta"), ROWS * nOut);
          const ySquared = tf.tidy(() => tf.mean(tf.square(coreForward(model, tf.tensor2d(x, [ROWS, nIn])))));
          const forwardRatio = (await ySquared.data())[0];
          ySquared.dispose();
          const g = await inputGradient(coreForward, model, x, ROWS, delta);
          let backwardRatio = 0;
          for (const gi of g) backwardRatio += (gi * gi) / g.length;

          const variance = 2 / (nIn + nOut);
          const kappa = kurtosis(name === "glorotUniform" ? "uniform" : "normal");
          const unit = bt.kernelUlps * F32_U;
          const checks = [
            { what: "forward mean((xW)²)", got: forwardRatio, want: nIn * variance, sd: glorotRatioSd(nIn, nOut, ROWS, variance, kappa), n: nIn },
            { what: "backward mean((δWᵀ)²)", got: backwardRatio, want: nOut * variance, sd: glorotRatioSd(nOut, nIn, ROWS, variance, kappa), n: nOut },
          ];
          for (const c of checks) {
            const allowed = Z_FALSE_ALARM * c.sd + 2 * gamma(c.n + 2, unit) * c.want;
            expect(isClose(c.got, c.want, { rtol: 0, atol: allowed }), () =>
              `${initializerLabel(init)} ${nIn}→${nOut}: ${c.what} = ${fmt(c.got)}, expected ${fmt(c.want)} ± ${fmt(allowed)}`);
          }
        } finally {
          disposeModel(model);
        }
      }),
  });
}
