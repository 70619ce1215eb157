/**
 * Law (matched init keeps the signal alive through depth, E6): in stacks of ≥ 10 layers of
 * equal width n with unit-variance input, the pre-activations' second moment q_l = mean(z_l²)
 *  - relu + He (Var W = 2/n) stays at q_l = 2 for every layer (each layer halves E[z²] by
 *    ReLU and doubles it by the weights);
 *  - tanh + Glorot (Var W = 1/n) follows the mean-field recursion q_{l+1} = E[tanh²(√q_l·ξ)],
 *    q_1 = 1: a slow ~1/l decay (1, 0.394, 0.236, … 0.052 at l = 10), not an exponential one;
 * each within a finite-width band (tolerance.ts `depthBand`) at every layer.
 */
import * as fc from "fast-check";
import { createModel, disposeModel, type InitializerSpec, Rng } from "../../src/core/mod.ts";
import { seed32 } from "../_internals/arbitraries.ts";
import { fmt } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { deepStack, meanSquare, normals, tracedLayers } from "../_internals/model.ts";
import { gaussianExpectation } from "../_internals/stats.ts";
import { defineLaw, type Law } from "../law.ts";
import { depthBand, FALSE_ALARM_RATE } from "../tolerance.ts";
import type { CreateModel } from "../implementations.ts";

/** Rows per batch. */
const ROWS = 16;

/**
 * Mean-field q_l for tanh with Var W = 1/n and unit-variance input, l = 1…depth.
 *
 * @example
 * tanhMeanField(3); // [1, 0.3943, 0.2361]
 */
export function tanhMeanField(depth: number): number[] {
  const q = [1];
  while (q.length < depth) q.push(gaussianExpectation((x) => Math.tanh(Math.sqrt(q[q.length - 1]) * x) ** 2));
  return q;
}

const pairs = fc.constantFrom(
  { activation: "relu" as const, init: "heNormal" as const },
  { activation: "relu" as const, init: "heUniform" as const },
  { activation: "tanh" as const, init: "glorotNormal" as const },
  { activation: "tanh" as const, init: "glorotUniform" as const },
);

/**
 * The law, for model creation (the core's `createModel` unless a fault is planted).
 *
 * @example
 * const law = varianceThroughDepth();
 */
export function varianceThroughDepth(create: CreateModel = createModel): Law {
  return defineLaw({
    name: "variance-through-depth",
    group: "initializers",
    statement: "Through 10–14 layers, relu + He keeps mean(z_l²) at 2 and tanh + Glorot follows the mean-field recursion " +
      "q_{l+1} = E[tanh²(√q_l·ξ)] (a slow 1/l decay), each within a finite-width band at every layer.",
    runs: 6,
    tolerance: () => ({
      rule: "|ln(q_l / q_l^MF)| ≤ Z·√(5l/n) for relu, Z·√(5l/(nB) + 2l/n²) for tanh (finite-width fluctuation, see depthBand)",
      values: { falseAlarmRate: FALSE_ALARM_RATE, rows: ROWS, reluBandAtL14n96: depthBand("relu", 14, 96, ROWS), tanhBandAtL14n96: depthBand("tanh", 14, 96, ROWS) },
    }),
    property: () =>
      fc.asyncProperty(pairs, fc.integer({ min: 96, max: 160 }), fc.integer({ min: 10, max: 14 }), seed32(), async ({ activation, init }, n, depth, seed) => {
        const kernel: InitializerSpec = { name: init };
        const rng = new Rng(seed);
        const model = create(deepStack(n, depth, { name: activation }, kernel), rng.fork("init"));
        try {
          const layers = await tracedLayers(model, normals(rng.fork("x"), ROWS * n), ROWS);
          const meanField = activation === "relu" ? Array(depth).fill(2) : tanhMeanField(depth);
          layers.forEach(({ z }, l) => {
            const q = meanSquare(z);
            const band = depthBand(activation, l + 1, n, ROWS);
            expect(Math.abs(Math.log(q / meanField[l])) <= band, () =>
              `${activation} + ${init}, width ${n}: layer ${l + 1} has mean(z²) = ${fmt(q)}, outside ${fmt(meanField[l])}·e^±${fmt(band)}`);
          });
        } finally {
          disposeModel(model);
        }
      }),
  });
}
