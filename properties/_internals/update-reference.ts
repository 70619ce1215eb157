/**
 * The float64 references of the engines' laws, written from the definitions (TF's
 * clip_by_value / clip_by_norm / clip_by_global_norm; SGD; heavy-ball momentum and Nesterov as
 * TF's MomentumOptimizer; Adam in TF1's form, Kingma & Ba 2015 §2) in running-error
 * arithmetic (tolerance.ts `boundedArithmetic`), so each value carries the bound a float32
 * implementation must meet. Inputs are an engine's own float32 gradients and parameters.
 */
import type { ClippingSpec, OptimizerSpec } from "../../src/core/mod.ts";
import type { Bounded, BoundedArithmetic } from "../tolerance.ts";

/**
 * Σ x² of bounded values.
 *
 * @example
 * sumOfSquares(ar, [ar.exact(3), ar.exact(4)]).v; // 25
 */
export function sumOfSquares(ar: BoundedArithmetic, xs: Bounded[]): Bounded {
  return ar.sum(xs.map((x) => ar.mul(x, x)));
}

/**
 * The gradients clipping hands the optimizer, from the engine's gradients.
 *
 * @example
 * const applied = clipReference(ar, { name: "globalNorm", maxNorm: 1 }, grads);
 */
export function clipReference(ar: BoundedArithmetic, spec: ClippingSpec, grads: Float32Array[]): Bounded[][] {
  const g = grads.map((t) => Array.from(t, ar.exact));
  const scaleFor = (norm: Bounded, c: Bounded) => ar.div(c, ar.max(norm, c));
  switch (spec.name) {
    case "none":
      return g;
    case "value": {
      const lo = ar.constant(spec.min), hi = ar.constant(spec.max);
      return g.map((t) => t.map((x) => ar.clamp(x, lo, hi)));
    }
    case "norm": {
      const c = ar.constant(spec.maxNorm);
      return g.map((t) => {
        const scale = scaleFor(ar.sqrt(sumOfSquares(ar, t)), c);
        return t.map((x) => ar.mul(x, scale));
      });
    }
    case "globalNorm": {
      const c = ar.constant(spec.maxNorm);
      const scale = scaleFor(ar.sqrt(sumOfSquares(ar, g.flat())), c);
      return g.map((t) => t.map((x) => ar.mul(x, scale)));
    }
  }
}

/** An optimizer in running-error arithmetic, its state carried from step to step. */
export interface OptimizerReference {
  /** The parameters after one step from `params` with the applied gradients `grads`. */
  step(params: Float32Array[], grads: Bounded[][]): Bounded[][];
}

/**
 * SGD θ ← θ − lr·g; momentum v ← μ·v + g, θ ← θ − lr·v (Nesterov: θ ← θ − lr·(g + μ·v));
 * Adam m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², θ ← θ − lr_t·m/(√v + ε) with
 * lr_t = lr·√(1 − β2^t)/(1 − β1^t); slots start at zero.
 *
 * @example
 * const ref = optimizerReference(ar, { name: "sgd", learningRate: 0.1 }, [4]);
 */
export function optimizerReference(ar: BoundedArithmetic, spec: OptimizerSpec, sizes: number[]): OptimizerReference {
  const zeros = () => sizes.map((n) => Array.from({ length: n }, () => ar.exact(0)));
  const first = zeros();
  const second = zeros();
  let t = 0;
  return {
    step(params, grads) {
      t += 1;
      return params.map((theta, p) =>
        Array.from(theta, (x, k) => {
          const g = grads[p][k];
          const th = ar.exact(x);
          switch (spec.name) {
            case "sgd":
              return ar.sub(th, ar.mul(g, ar.constant(spec.learningRate)));
            case "momentum": {
              const mu = ar.constant(spec.momentum);
              const v = first[p][k] = ar.add(ar.mul(first[p][k], mu), g);
              const step = spec.nesterov ? ar.add(g, ar.mul(v, mu)) : v;
              return ar.sub(th, ar.mul(step, ar.constant(spec.learningRate)));
            }
            case "adam": {
              const { beta1, beta2, epsilon, learningRate } = spec;
              const m = first[p][k] = ar.add(ar.mul(first[p][k], ar.constant(beta1)), ar.mul(g, ar.constant(1 - beta1)));
              const v = second[p][k] = ar.add(ar.mul(second[p][k], ar.constant(beta2)), ar.mul(ar.mul(g, g), ar.constant(1 - beta2)));
              const lrT = ar.constant((learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t));
              return ar.sub(th, ar.mul(ar.div(m, ar.add(ar.sqrt(v), ar.constant(epsilon))), lrT));
            }
          }
        })
      );
    },
  };
}

/** What the recorder should write for one step. */
export interface StatisticsReference {
  meanAbs: Bounded[];
  l2: Bounded[];
  globalNorm: Bounded;
  clippedL2: Bounded[];
  clippedGlobalNorm: Bounded;
}

/**
 * mean |g| and ‖g‖ per gradient, the global norm, and the same norms of the clipped gradients.
 *
 * @example
 * const want = statisticsReference(ar, grads, clipReference(ar, spec, grads));
 */
export function statisticsReference(ar: BoundedArithmetic, grads: Float32Array[], applied: Bounded[][]): StatisticsReference {
  const g = grads.map((t) => Array.from(t, ar.exact));
  const squares = g.map((t) => sumOfSquares(ar, t));
  const clippedSquares = applied.map((t) => sumOfSquares(ar, t));
  return {
    meanAbs: g.map((t) => ar.div(ar.sum(t.map((x) => ({ v: Math.abs(x.v), e: x.e }))), ar.exact(t.length))),
    l2: squares.map(ar.sqrt),
    globalNorm: ar.sqrt(ar.sum(squares)),
    clippedL2: clippedSquares.map(ar.sqrt),
    clippedGlobalNorm: ar.sqrt(ar.sum(clippedSquares)),
  };
}
