/**
 * Law (ReLU keeps the gradient norm on its active units): for a chain of ReLU layers with
 * orthogonal n×n kernels Q_l, backprop through layer l maps g_l to g_{l−1} = (g_l ⊙ m_l)·Q_lᵀ
 * with m_l = [z_l > 0], so
 *
 *   ‖g_{l−1}‖₂ = ‖g_l ⊙ m_l‖₂   for every layer,
 *
 * i.e. the norm is kept exactly on the active units and only lost where ReLU is off; hence
 * ‖∂(v·h_L)/∂x‖ ≤ ‖v‖, with equality when every unit is active.
 */
import * as fc from "fast-check";
import { disposeModel, forward, type ModelSpec, Rng } from "../../src/core/mod.ts";
import * as tf from "@tensorflow/tfjs-core";
import { seed32 } from "../_internals/arbitraries.ts";
import { fmt, isClose } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { coreForward, inputGradient, modelWithWeights, norm2, normals } from "../_internals/model.ts";
import { defineLaw, type Law } from "../law.ts";
import { orthogonalLayerRtol } from "../tolerance.ts";
import type { ForwardPass } from "../implementations.ts";

/**
 * A random orthogonal n×n matrix (Gram–Schmidt, twice, on Gaussian columns), row-major float64.
 *
 * @example
 * const q = randomOrthogonal(4, new Rng(1));
 */
export function randomOrthogonal(n: number, rng: Rng): Float64Array {
  const q = Float64Array.from({ length: n * n }, () => rng.normal());
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[i * n + j] * q[i * n + k];
        for (let i = 0; i < n; i++) q[i * n + j] -= dot * q[i * n + k];
      }
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += q[i * n + j] ** 2;
    for (let i = 0; i < n; i++) q[i * n + j] /= Math.sqrt(s);
  }
  return q;
}

function reluChain(n: number, depth: number): ModelSpec {
  return {
    inputSize: n,
    layers: Array.from({ length: depth }, () => ({ units: n, activation: { name: "relu" }, kernelInitializer: { name: "zeros" }, useBias: false })),
  };
}

/**
 * The law, for a forward pass (the core's unless a fault is planted).
 *
 * @example
 * const law = reluOrthogonalChain();
 */
export function reluOrthogonalChain(pass: ForwardPass = coreForward): Law {
  return defineLaw({
    name: "relu-orthogonal-chain",
    group: "depth",
    statement: "Through ReLU layers with orthogonal kernels, every layer's backprop keeps the gradient norm on the active units: " +
      "‖g_{l−1}‖ = ‖g_l ⊙ [z_l > 0]‖, so ‖∂(v·h_L)/∂x‖ ≤ ‖v‖.",
    runs: 20,
    tolerance: ({ tolerance: bt }) => ({
      rule: "per layer |‖g_{l−1}‖ − ‖g_l ⊙ m_l‖| ≤ (γ_n + u)·√n·‖g_l ⊙ m_l‖ (matmul rounding and float32 Q, via ‖|Q|‖₂ ≤ √n)",
      values: { rtolAtWidth16: orthogonalLayerRtol(16, bt), kernelUlps: bt.kernelUlps },
    }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 10 }), seed32(), async (n, depth, seed) => {
        const rng = new Rng(seed);
        const kernels = Array.from({ length: depth }, (_, l) => Float32Array.from(randomOrthogonal(n, rng.fork(`q${l}`))));
        const model = modelWithWeights(reluChain(n, depth), kernels);
        const layers = kernels.map((k) => modelWithWeights(reluChain(n, 1), [k]));
        try {
          const x = normals(rng.fork("x"), n, 2);
          const v = normals(rng.fork("v"), n);
          const { trace } = forward(model, tf.tensor2d(x, [1, n]), "train", { trace: true });
          const inputs = await Promise.all(trace.map((t) => t.input.data()));
          const masks = await Promise.all(trace.map((t) => t.preActivation.data()));
          tf.dispose([trace[0].input, ...trace.flatMap((t) => [t.preActivation, t.output])]);
          const rtol = orthogonalLayerRtol(n, bt);
          let g = v;
          let kept = 1;
          for (let l = depth - 1; l >= 0; l--) {
            const masked = g.map((gi, i) => (masks[l][i] > 0 ? gi : 0));
            const below = await inputGradient((t) => pass(layers[l], t), inputs[l] as Float32Array, 1, g);
            const want = norm2(masked);
            expect(isClose(norm2(below), want, { rtol, atol: 0 }), () =>
              `layer ${l + 1}: ‖g_${l}‖ = ${fmt(norm2(below))}, but ‖g_${l + 1} ⊙ m_${l + 1}‖ = ${fmt(want)} (rtol ${fmt(rtol)})`);
            kept *= 1 + rtol;
            g = below;
          }
          const whole = await inputGradient((t) => pass(model, t), x, 1, v);
          expect(norm2(whole) <= norm2(v) * kept, () => `‖∂(v·h_L)/∂x‖ = ${fmt(norm2(whole))} exceeds ‖v‖ = ${fmt(norm2(v))}`);
        } finally {
          disposeModel(model);
          layers.forEach(disposeModel);
        }
      }),
  });
}
