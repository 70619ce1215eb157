/**
 * The float64 reference for batch norm through an engine: a net x → dense → batch norm →
 * (linear | ReLU) [→ dense] under mean squared error, its loss, batch statistics and every
 * gradient, from the definitions (Ioffe & Szegedy 2015, Alg. 1 and §3.1's backward pass) in
 * running-error arithmetic (tolerance.ts), from the parameters the engine starts a step with.
 */
import fc from "fast-check";
import type { ActivationSpec, LayerSpec, ModelSpec } from "../../src/core/mod.ts";
import type { Bounded, BoundedArithmetic } from "../tolerance.ts";
import { seed32, uniformReal } from "./arbitraries.ts";
import type { NetCase } from "./engines.ts";

type Matrix = Bounded[][];

/**
 * Nets with one batch-normalized layer (linear or ReLU), then, or not, a linear output layer;
 * with or without biases; momentum in [0, 0.999], ε in [1e-5, 0.1]; 2–12 rows.
 *
 * @example
 * fc.sample(batchNormNets(), 1);
 */
export function batchNormNets(): fc.Arbitrary<NetCase> {
  return fc.record({
    inputSize: fc.integer({ min: 1, max: 5 }),
    units: fc.integer({ min: 1, max: 5 }),
    outputs: fc.option(fc.integer({ min: 1, max: 4 }), { freq: 2 }),
    activation: fc.constantFrom<ActivationSpec>({ name: "linear" }, { name: "relu" }),
    useBias: fc.boolean(),
    momentum: uniformReal(0, 0.999),
    epsilon: uniformReal(-5, -1).map((e) => 10 ** e),
    rows: fc.integer({ min: 2, max: 12 }),
    transposed: fc.boolean(),
    seed: seed32(),
  }).map(({ inputSize, units, outputs, activation, useBias, momentum, epsilon, rows, transposed, seed }) => {
    const dense = (n: number, a: ActivationSpec): LayerSpec => ({
      units: n,
      activation: a,
      kernelInitializer: { name: "glorotUniform" },
      biasInitializer: { name: "randomUniform", limit: 0.5 },
      useBias,
    });
    const layers: LayerSpec[] = [{ ...dense(units, outputs === null ? { name: "linear" } : activation), batchNorm: { momentum, epsilon } }];
    if (outputs !== null) layers.push(dense(outputs, { name: "linear" }));
    const spec: ModelSpec = { inputSize, layers };
    return { spec, loss: "mse" as const, rows, transposed, seed };
  });
}

/** What the reference gives for one step. */
export interface BatchNormNetStep {
  loss: Bounded;
  /** per parameter (model.parameters order), in its row-major layout */
  gradients: Bounded[][];
  /** the batch-normalized layer's batch mean and biased variance */
  mean: Bounded[];
  variance: Bounded[];
}

/**
 * One step of the reference, from the parameters in model.parameters order.
 *
 * @example
 * const want = batchNormNetStep(ar, spec, params, x, targets, rows);
 */
export function batchNormNetStep(ar: BoundedArithmetic, spec: ModelSpec, params: Float32Array[], x: Float32Array, targets: Float32Array, m: number): BatchNormNetStep {
  const [first, second] = spec.layers;
  const hasBias = first.useBias;
  let p = 0;
  const take = () => Array.from(params[p++], ar.exact);
  const k = spec.inputSize, n = first.units;
  const W1 = take(), b1 = hasBias ? take() : null, gamma = take(), beta = take();
  const W2 = second ? take() : null, b2 = second && hasBias ? take() : null;
  const o = second ? second.units : n;
  const X = rows(Array.from(x, ar.exact), m, k);
  const { epsilon } = first.batchNorm!;

  // forward
  const Z = product(ar, X, rows(W1, k, n), b1);
  const mean: Bounded[] = [], variance: Bounded[] = [], rstd: Bounded[] = [];
  const xhat: Matrix = Z.map(() => []);
  for (let j = 0; j < n; j++) {
    mean[j] = ar.div(ar.sum(Z.map((r) => r[j])), ar.exact(m));
    const centered = Z.map((r) => ar.sub(r[j], mean[j]));
    variance[j] = ar.div(ar.sum(centered.map((c) => ar.mul(c, c))), ar.exact(m));
    rstd[j] = ar.div(ar.exact(1), ar.sqrt(ar.add(variance[j], ar.constant(epsilon))));
    centered.forEach((c, i) => (xhat[i][j] = ar.mul(c, rstd[j])));
  }
  const Y = xhat.map((r) => r.map((v, j) => ar.add(ar.mul(v, gamma[j]), beta[j])));
  const relu = first.activation.name === "relu";
  const H = relu ? Y.map((r) => r.map((v) => ({ v: Math.max(v.v, 0), e: v.e }))) : Y;
  const out = W2 ? product(ar, H, rows(W2, n, o), b2) : H;

  // loss and its gradient at the output: mean((out − t)²), 2(out − t)/(m·o)
  const T = rows(Array.from(targets, ar.exact), m, o);
  const diff = out.map((r, i) => r.map((v, j) => ar.sub(v, T[i][j])));
  const loss = ar.div(ar.sum(diff.flat().map((d) => ar.mul(d, d))), ar.exact(m * o));
  const dOut = diff.map((r) => r.map((d) => ar.mul(d, ar.constant(2 / (m * o)))));

  // backward
  const gradients: Bounded[][] = [];
  let dH = dOut;
  let outer: Bounded[][] = [];
  if (W2) {
    const w2 = rows(W2, n, o);
    outer = [transposedProduct(ar, H, dOut).flat(), ...(b2 ? [columnSums(ar, dOut)] : [])];
    dH = dOut.map((r) => w2.map((wRow) => ar.sum(wRow.map((w, j) => ar.mul(w, r[j])))));
  }
  // relu' from the output: 1 or 0, and either where the output is within its allowed error (2e) of 0
  const mask = (y: Bounded): Bounded => (!relu || y.v > 2 * y.e ? ar.exact(1) : y.v < -2 * y.e ? ar.exact(0) : { v: 0.5, e: 0.5 });
  const dY = dH.map((r, i) => r.map((d, j) => ar.mul(d, mask(Y[i][j]))));
  const dBeta = columnSums(ar, dY);
  const dGamma = Array.from({ length: n }, (_, j) => ar.sum(dY.map((r, i) => ar.mul(r[j], xhat[i][j]))));
  const dZ = dY.map((r, i) =>
    r.map((d, j) => {
      const bracket = ar.sub(ar.sub(ar.mul(ar.exact(m), d), dBeta[j]), ar.mul(xhat[i][j], dGamma[j]));
      return ar.mul(ar.div(ar.mul(gamma[j], rstd[j]), ar.exact(m)), bracket);
    })
  );
  gradients.push(transposedProduct(ar, X, dZ).flat());
  if (b1) gradients.push(columnSums(ar, dZ));
  gradients.push(dGamma, dBeta, ...outer);
  return { loss, gradients, mean, variance };
}

/** A flat row-major array as rows. */
function rows(flat: Bounded[], r: number, c: number): Matrix {
  return Array.from({ length: r }, (_, i) => flat.slice(i * c, (i + 1) * c));
}

/** A·B (+ bias per column). */
function product(ar: BoundedArithmetic, A: Matrix, B: Matrix, bias: Bounded[] | null): Matrix {
  const cols = B[0].length;
  return A.map((row) =>
    Array.from({ length: cols }, (_, j) => ar.sum([...row.map((a, t) => ar.mul(a, B[t][j])), ...(bias ? [bias[j]] : [])]))
  );
}

/** Aᵀ·B: [A cols × B cols]. */
function transposedProduct(ar: BoundedArithmetic, A: Matrix, B: Matrix): Matrix {
  return A[0].map((_, r) => B[0].map((_, c) => ar.sum(A.map((row, i) => ar.mul(row[r], B[i][c])))));
}

function columnSums(ar: BoundedArithmetic, A: Matrix): Bounded[] {
  return A[0].map((_, j) => ar.sum(A.map((r) => r[j])));
}
