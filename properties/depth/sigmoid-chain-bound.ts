/**
 * Law (vanishing gradients through sigmoid chains): for L sigmoid layers
 * h_l = σ(h_{l−1}W_l + b_l) with |w| ≤ c, and any output weighting v,
 *
 *   ‖∂(v·h_L)/∂x‖₂ ≤ ‖v‖₂ · ∏_l ‖W_l‖_F / 4 ≤ ‖v‖₂ · ∏_l c·√(n_{l−1}·n_l) / 4.
 *
 * Proof: backprop through layer l maps g to (g ⊙ σ'(z_l))·W_lᵀ; σ' ≤ 1/4 and
 * ‖W‖₂ ≤ ‖W‖_F ≤ c·√(n_{l−1}n_l). So once c < 4/max(n), the input gradient shrinks
 * geometrically with depth, whatever the input and the biases.
 */
import * as fc from "fast-check";
import { createModel, disposeModel, type LayerSpec, type ModelSpec, Rng } from "../../src/core/mod.ts";
import { logUniform, seed32 } from "../_internals/arbitraries.ts";
import { fmt } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { coreForward, inputGradient, norm2, normals } from "../_internals/model.ts";
import { defineLaw, type Law } from "../law.ts";
import { F32_U, sigmoidChainSlack } from "../tolerance.ts";
import type { ForwardPass } from "../implementations.ts";

/**
 * The law, for a forward pass (the core's unless a fault is planted).
 *
 * @example
 * const law = sigmoidChainBound();
 */
export function sigmoidChainBound(pass: ForwardPass = coreForward): Law {
  return defineLaw({
    name: "sigmoid-chain-bound",
    group: "depth",
    statement: "Through L sigmoid layers with |w| ≤ c, the input gradient of v·h_L has norm ≤ ‖v‖·∏‖W_l‖_F/4 ≤ ‖v‖·∏ c·√(n_{l−1}n_l)/4.",
    runs: 25,
    tolerance: ({ tolerance: bt }) => ({
      rule: "bound × ∏_l (1 + unit)(1 + γ_{n_l}(unit)) with unit = kernelUlps·u: the rounding of backprop, bounded through |a||W|ᵀ",
      values: { u: F32_U, kernelUlps: bt.kernelUlps },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 2, maxLength: 13 }),
        logUniform(-1.3, 0.7),
        fc.boolean(),
        seed32(),
        async (widths, c, useBias, seed) => {
          const layers = widths.slice(1).map((units): LayerSpec => ({
            units,
            activation: { name: "sigmoid" },
            kernelInitializer: { name: "randomUniform", limit: c },
            useBias,
            ...(useBias ? { biasInitializer: { name: "randomUniform", limit: 3 } } : {}),
          }));
          const spec: ModelSpec = { inputSize: widths[0], layers };
          const rng = new Rng(seed);
          const model = createModel(spec, rng.fork("init"));
          try {
            const x = normals(rng.fork("x"), widths[0], 3);
            const v = normals(rng.fork("v"), widths[widths.length - 1]);
            const g = await inputGradient((t) => pass(model, t), x, 1, v);
            let bound = norm2(v), coarse = norm2(v);
            for (const [l, p] of model.parameters.filter((p) => p.role === "kernel").entries()) {
              const w = await p.variable.data();
              expect(w.every((wi) => Math.abs(wi) <= c), () => `layer ${l + 1} has a weight beyond c = ${fmt(c)}`);
              bound *= norm2(w) / 4;
              coarse *= (c * Math.sqrt(widths[l] * widths[l + 1])) / 4;
            }
            const allowed = bound * sigmoidChainSlack(widths, bt);
            expect(norm2(g) <= allowed, () =>
              `‖∂(v·h_L)/∂x‖ = ${fmt(norm2(g))} exceeds ‖v‖·∏‖W_l‖_F/4 = ${fmt(bound)} (with rounding ${fmt(allowed)})`);
            expect(bound <= coarse * (1 + 4 * F32_U * widths.length), () => `∏‖W_l‖_F/4 = ${fmt(bound)} exceeds ∏c·√(n_{l−1}n_l)/4 = ${fmt(coarse)}`);
          } finally {
            disposeModel(model);
          }
        },
      ),
  });
}
