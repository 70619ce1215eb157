/**
 * Law (unmatched init fails through depth, sources 001/003 and E6): in stacks of ≥ 10 layers
 * of width n ≥ 128 with unit-variance input,
 *  - N(0, 1) weights saturate tanh: at every layer at least half the units have
 *    tanh'(z) < 0.1 (mean field predicts ≥ 0.85: z ~ N(0, n·E[h²]) with n·E[h²] ≥ 100);
 *  - N(0, 1) weights explode sigmoid pre-activations: mean(z²) ≥ n/8 and at least half the
 *    units have σ'(z) < 0.025, a tenth of its maximum (mean field: mean(z²) ≈ n/2, and about
 *    0.65 of the units saturated);
 *  - N(0, 0.01²) weights make the signal vanish (tanh, relu, linear):
 *    mean(h_L²) ≤ (n·10⁻⁴)^L·mean(x²)·band, since |f(z)| ≤ |z| and E[z_l²] = n·σ²·E[h_{l−1}²];
 *    a tanh kernel's absolute error floor (the backend's, tolerance.ts) bounds how far it can be seen to vanish.
 */
import * as fc from "fast-check";
import { createModel, disposeModel, type InitializerSpec, Rng } from "../../src/core/mod.ts";
import { seed32 } from "../_internals/arbitraries.ts";
import { fmt } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { deepStack, meanSquare, normals, tracedLayers } from "../_internals/model.ts";
import { defineLaw, type Law } from "../law.ts";
import { depthBand, kernelCloseness, vanishedMeanSquare } from "../tolerance.ts";
import type { CreateModel } from "../implementations.ts";

const ROWS = 16;
/** |z| beyond which tanh'(z) = 1 − tanh²(z) < 0.1. */
const TANH_SATURATED = Math.atanh(Math.sqrt(0.9));
/** |z| beyond which σ'(z) < 0.025: σ(1 − σ) = 0.025 at σ = (1 + √0.9)/2. */
const SIGMOID_SATURATED = Math.log((1 + Math.sqrt(0.9)) / (1 - Math.sqrt(0.9)));

const cases = fc.constantFrom(
  { activation: "tanh" as const, stddev: 1 },
  { activation: "sigmoid" as const, stddev: 1 },
  { activation: "tanh" as const, stddev: 0.01 },
  { activation: "relu" as const, stddev: 0.01 },
  { activation: "linear" as const, stddev: 0.01 },
);

function fraction(z: Float32Array, beyond: number): number {
  let k = 0;
  for (const v of z) if (Math.abs(v) > beyond) k++;
  return k / z.length;
}

/**
 * The law, for model creation (the core's `createModel` unless a fault is planted).
 *
 * @example
 * const law = badInitThroughDepth();
 */
export function badInitThroughDepth(create: CreateModel = createModel): Law {
  return defineLaw({
    name: "bad-init-through-depth",
    group: "initializers",
    statement: "Through 10–12 layers of width ≥ 128, N(0,1) weights saturate tanh and sigmoid units and explode sigmoid " +
      "pre-activations at every layer, while N(0,0.01²) weights make the activations vanish like (n·10⁻⁴)^L.",
    runs: 8,
    tolerance: ({ tolerance: bt }) => ({
      rule: "saturated fraction ≥ 1/2 (mean field: ≥ 0.85 tanh, ≈ 0.65 sigmoid); sigmoid mean(z²) ≥ n/8 (mean field n/2); " +
        "vanishing: mean(h_L²) ≤ (nσ²)^L·mean(x²)·e^{depthBand(relu, L)}, for tanh plus the backend's absolute kernel " +
        "error floor (vanishedMeanSquare)",
      values: { tanhSaturatedBeyond: TANH_SATURATED, sigmoidSaturatedBeyond: SIGMOID_SATURATED, rows: ROWS, tanhErrorFloor: kernelCloseness(bt).atol },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(cases, fc.integer({ min: 128, max: 192 }), fc.integer({ min: 10, max: 12 }), seed32(), async ({ activation, stddev }, n, depth, seed) => {
        const kernel: InitializerSpec = { name: "randomNormal", stddev };
        const rng = new Rng(seed);
        const model = create(deepStack(n, depth, { name: activation }, kernel), rng.fork("init"));
        try {
          const x = normals(rng.fork("x"), ROWS * n);
          const layers = await tracedLayers(model, x, ROWS);
          const label = `${activation} with N(0, ${stddev}²), width ${n}`;
          if (stddev === 1) {
            layers.forEach(({ z }, l) => {
              const beyond = activation === "tanh" ? TANH_SATURATED : SIGMOID_SATURATED;
              const saturated = fraction(z, beyond);
              expect(saturated >= 0.5, () => `${label}: only ${fmt(saturated)} of layer ${l + 1}'s units are saturated (|z| > ${fmt(beyond)})`);
              if (activation === "sigmoid") {
                const q = meanSquare(z);
                expect(q >= n / 8, () => `${label}: layer ${l + 1} has mean(z²) = ${fmt(q)} < n/8 = ${fmt(n / 8)}, not exploding`);
              }
            });
          } else {
            const last = meanSquare(layers[depth - 1].h);
            const exact = (n * stddev ** 2) ** depth * meanSquare(x) * Math.exp(depthBand("relu", depth, n, ROWS));
            const bound = vanishedMeanSquare(exact, bt, n * stddev ** 2, activation === "tanh");
            expect(last <= bound, () => `${label}: mean(h_${depth}²) = ${fmt(last)} has not vanished below ${fmt(bound)}`);
          }
        } finally {
          disposeModel(model);
        }
      }),
  });
}
