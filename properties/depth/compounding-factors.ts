/**
 * Law (per-layer factors compound): through L linear 1×1 layers with weight a, the input
 * gradient is exactly a^L — source 002's 0.99^365 = 0.0255 (vanish) and 1.01^365 = 37.78
 * (explode) — computed by backprop through the core in float32.
 */
import * as fc from "fast-check";
import { createModel, disposeModel, type ModelSpec, Rng } from "../../src/core/mod.ts";
import { uniformReal } from "../_internals/arbitraries.ts";
import { fmt, isClose } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { coreForward, inputGradient } from "../_internals/model.ts";
import { defineLaw, type Law } from "../law.ts";
import { productRtol } from "../tolerance.ts";
import type { CreateModel } from "../implementations.ts";

/** source 002's two examples and the values it prints. */
export const SEED_002_EXAMPLES = [
  { a: 0.99, depth: 365, printed: "0.0255", digits: (g: number) => g.toPrecision(3) },
  { a: 1.01, depth: 365, printed: "37.78", digits: (g: number) => g.toFixed(2) },
] as const;

function linearChain(a: number, depth: number): ModelSpec {
  return {
    inputSize: 1,
    layers: Array.from({ length: depth }, () => ({ units: 1, activation: { name: "linear" }, kernelInitializer: { name: "constant", value: a }, useBias: false })),
  };
}

/** L and a factor a with |L·ln a| ≤ 80, so a^L stays far inside the float32 range. */
const factorAndDepth = fc.integer({ min: 1, max: 400 }).chain((depth) =>
  uniformReal(-80 / depth, 80 / depth).map((e) => ({ a: Math.fround(Math.exp(e)), depth }))
);

/**
 * The law, for model creation (the core's `createModel` unless a fault is planted).
 *
 * @example
 * const law = compoundingFactors();
 */
export function compoundingFactors(create: CreateModel = createModel): Law {
  return defineLaw({
    name: "compounding-factors",
    group: "depth",
    statement: "Through L linear layers of weight a the input gradient is a^L: 0.99^365 = 0.0255 and 1.01^365 = 37.78 (source 002).",
    runs: 12,
    tolerance: ({ tolerance: bt }) => ({
      rule: "|g − a₃₂^L| ≤ γ_{L+1}·a₃₂^L (L+1 chained float32 products, unit kernelUlps·u), a₃₂ = a as stored in float32; " +
        "the source's examples also to the digits it prints",
      values: { rtolAt365: productRtol(365, bt) },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(
        fc.oneof({ arbitrary: fc.constantFrom(...SEED_002_EXAMPLES.map(({ a, depth }) => ({ a, depth }))), weight: 1 }, { arbitrary: factorAndDepth, weight: 3 }),
        async ({ a, depth }) => {
          const model = create(linearChain(a, depth), new Rng(0));
          try {
            const [g] = await inputGradient((t) => coreForward(model, t), new Float32Array([1]), 1, new Float32Array([1]));
            const want = Math.fround(a) ** depth;
            const rtol = productRtol(depth, bt);
            expect(isClose(g, want, { rtol, atol: 0 }), () => `∂h_L/∂x = ${fmt(g)}, expected a^L = ${fmt(Math.fround(a))}^${depth} = ${fmt(want)} (rtol ${fmt(rtol)})`);
            const seed = SEED_002_EXAMPLES.find((e) => e.a === a && e.depth === depth);
            if (seed) expect(seed.digits(g) === seed.printed, () => `${a}^${depth} = ${fmt(g)}, source 002 prints ${seed.printed}`);
          } finally {
            disposeModel(model);
          }
        },
      ),
  });
}
