/**
 * The fast engine's forward and backward pass with every matrix product in gradlab's gemm
 * kernel (kernels/gemm.ts), for dense nets without batch normalization on file-order batches
 * (Xᵀ at hand). The same arithmetic as the tfjs pass, product for product and in the same
 * product forms: the kernel returns tfjs-wasm's matMul bits, and what tf.fused.matMul applies
 * after the sum is applied exactly on the host (linear, relu, leaky ReLU: a comparison and at
 * most one float32 product) or by the tfjs op itself (sigmoid, elu, and the plain forms' bias
 * and activation). dense-engine-kernel.test.ts checks the bits. What it saves is tfjs's cost
 * per op (15–40 µs, ~30 ops a step) and XNNPACK's re-packing of weights that change every step.
 *
 * In the kernel's memory, for a batch of m rows, widths n_0 … n_L, P_l = n_l padded to the
 * kernel's 16 columns, M = m padded:
 *
 *   X [m × n_0], Xᵀ [n_0 × m]         the batch, copied in
 *   W_l [n_{l−1} × P_l], b_l [P_l]    the layer's current values, packed each step
 *   H_l [m × P_l]                     Z_l = b_l + H_{l−1}·W_l, activated in place (H_0 = X)
 *   Cᵀ_l [n_l × M]                    ∂loss/∂Z_l, transposed
 *
 *   backward  ∂W_lᵀ = Cᵀ_l·H_{l−1}                        [n_l × P_{l−1}], unpadded on the host
 *             Cᵀ_{l−1} = (W_l·Cᵀ_l) ⊙ f'(H_{l−1})ᵀ          the product in the kernel, f' on the host
 *             ∂W_1 = Xᵀ·C_1                                C_1 = (Cᵀ_1)ᵀ transposed on the host
 *
 * The first layer's two products (~70% of E1's arithmetic) split by rows with the helper
 * thread, when there is one; the small ones cost less than a hand-off.
 */
import * as tf from "@tensorflow/tfjs-core";
import { readView, tensorOfCopy } from "../../backend/mod.ts";
import { multiplyByDerivative } from "../activations.ts";
import { locateNonFiniteForward } from "../autodiff-engine.ts";
import type { HostBatch } from "../batches.ts";
import type { StepPosition } from "../engine.ts";
import type { Model } from "../model.ts";
import { nonFiniteLossError } from "../nonfinite.ts";
import type { GemmKernel } from "./kernels/gemm.ts";
import { paddedColumns } from "./kernels/gemm.ts";
import type { GemmHelper } from "./kernels/gemm-helper.ts";
import { biasGradient, logitGradient } from "./logit-gradient.ts";
import type { PassResult } from "./pass-result.ts";
import { finishPlain, type ProductForm } from "./product-form.ts";

export interface KernelPassSetup {
  model: Model;
  forms: ProductForm[];
  /** the bias variables (plain forms add them as a tfjs op) */
  biases: (tf.Tensor1D | undefined)[];
  /** per layer: the host values of its kernel ([in, out]) and bias */
  kernelValues: Float32Array[];
  biasValues: (Float32Array | null)[];
  classification: boolean;
  kernel: GemmKernel;
  helper: GemmHelper | null;
  /** resolves when the helper has the kernel's memory */
  attached: Promise<void> | null;
  /** reusable arrays by role and length, on the host or in the kernel's memory */
  buffer: (role: string, length: number, inKernel?: boolean) => Float32Array;
}

/**
 * @example
 * const pass = kernelPass(setup);
 * const { loss, kernelGrads } = await pass(batch, where); // batch.xT set, no batch norm
 */
export function kernelPass(s: KernelPassSetup): (hb: HostBatch, where: StepPosition) => Promise<PassResult> {
  const { model, forms, kernel, helper, buffer } = s;
  const layers = model.spec.layers;
  const L = layers.length;
  const widths = [model.spec.inputSize, ...layers.map((l) => l.units)];
  const padded = widths.map(paddedColumns);

  const pacing = helperPacing();
  /** C = bias + A·B, rows split with the helper when `split` and the helper keeps pace. */
  const gemm = async (a: Float32Array, lda: number, b: Float32Array, c: Float32Array, bias: Float32Array | null, rows: number, k: number, nPad: number, split: boolean) => {
    if (!split || !helper || rows < 2 || !pacing.use()) return kernel.run(kernel.args(a, b, c, bias, rows, k, nPad, lda));
    await s.attached;
    const half = rows >> 1;
    helper.start(kernel.args(a.subarray(half * lda), b, c.subarray(half * nPad), bias, rows - half, k, nPad, lda));
    const started = performance.now();
    let mine = 0;
    try {
      kernel.run(kernel.args(a, b, c, bias, half, k, nPad, lda));
      mine = performance.now() - started;
    } finally {
      helper.wait();
    }
    pacing.record(mine, performance.now() - started - mine);
  };

  /** The layer's current kernel [n_{l−1} × n_l] into W_l [n_{l−1} × P_l] (pad columns stay zero). */
  const packWeights = (l: number): Float32Array => {
    const [rows, n, P] = [widths[l - 1], widths[l], padded[l]];
    const w = buffer(`W${l}`, rows * P, true);
    const values = s.kernelValues[l - 1];
    for (let p = 0; p < rows; p++) for (let j = 0; j < n; j++) w[p * P + j] = values[p * n + j];
    return w;
  };

  /** What follows the sum in layer l's product form, in place on H_l = Z_l ([m × P_l]). */
  const activateInPlace = (l: number, h: Float32Array, m: number) => {
    const form = forms[l - 1];
    const [n, P] = [widths[l], padded[l]];
    if (form.activation === "linear") return;
    if (form.activation === "relu") {
      for (let i = 0; i < m; i++) for (let j = i * P; j < i * P + n; j++) h[j] = Math.max(h[j], 0);
      return;
    }
    if (form.activation === "leakyrelu") {
      const alpha = Math.fround(form.leakyreluAlpha ?? 0); // tfjs passes the slope as a float32
      for (let i = 0; i < m; i++) {
        for (let j = i * P; j < i * P + n; j++) {
          const v = h[j];
          if (v < 0) h[j] = alpha * v;
        }
      }
      return;
    }
    // sigmoid, elu and the plain forms: the tfjs ops tfjs would run, on the unpadded values
    const z = buffer(`Z${l}`, m * n);
    for (let i = 0; i < m; i++) z.set(h.subarray(i * P, i * P + n), i * n);
    const t = tensorOfCopy(z, [m, n]) as tf.Tensor2D;
    let out: tf.Tensor2D;
    if (form.activation === null) {
      out = finishPlain(t, s.biases[l - 1], layers[l - 1].activation);
    } else {
      out = (form.activation === "sigmoid" ? tf.sigmoid(t) : tf.elu(t)) as tf.Tensor2D;
      t.dispose();
    }
    const values = readView(out);
    for (let i = 0; i < m; i++) h.set(values.subarray(i * n, i * n + n), i * P);
    out.dispose();
  };

  return async (hb, where) => {
    const m = hb.rows;
    const M = paddedColumns(m);
    const x = buffer("X", m * widths[0], true);
    x.set(hb.x);
    const xT = buffer("XT", widths[0] * m, true);
    xT.set(hb.xT!);

    // forward
    const W: Float32Array[] = [];
    const H: Float32Array[] = [x];
    for (let l = 1; l <= L; l++) {
      W[l] = packWeights(l);
      const form = forms[l - 1];
      const biasValues = s.biasValues[l - 1];
      const bias = form.activation !== null && form.bias && biasValues ? buffer(`b${l}`, padded[l], true) : null;
      if (bias) bias.set(biasValues!);
      H[l] = buffer(`H${l}`, m * padded[l], true);
      await gemm(H[l - 1], l === 1 ? widths[0] : padded[l - 1], W[l], H[l], bias, m, widths[l - 1], padded[l], l === 1);
      activateInPlace(l, H[l], m);
    }

    const cT: Float32Array[] = [];
    cT[L] = buffer(`CT${L}`, widths[L] * M, true);
    const { loss, hits } = logitGradient(H[L], hb, s.classification, cT[L], padded[L], M);
    if (!Number.isFinite(loss)) {
      const input = tf.tensor2d(hb.x, [m, widths[0]]);
      try {
        throw nonFiniteLossError(loss, where, await locateNonFiniteForward(model, input));
      } finally {
        input.dispose();
      }
    }

    // backward
    const kernelGrads: Float32Array[] = new Array(L);
    const biasGrads: (Float32Array | null)[] = layers.map(() => null);
    for (let l = L; l >= 1; l--) {
      const [n, inN] = [widths[l], widths[l - 1]];
      if (s.biasValues[l - 1]) biasGrads[l - 1] = biasGradient(cT[l], n, m, M, buffer(`bias${l}`, n));
      if (l === 1) {
        const P = padded[1];
        const c = buffer("C1", m * P, true); // pad columns stay zero
        for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) c[i * P + j] = cT[1][j * M + i];
        const dW = buffer("dW1", inN * P, true);
        await gemm(xT, m, c, dW, null, inN, m, P, true);
        kernelGrads[0] = unpad(dW, inN, n, P, buffer("kernel1", inN * n));
        break;
      }
      const dWT = buffer(`dW${l}`, n * padded[l - 1], true);
      await gemm(cT[l], M, H[l - 1], dWT, null, n, m, padded[l - 1], false);
      kernelGrads[l - 1] = unpad(dWT, n, inN, padded[l - 1], buffer(`kernel${l}`, n * inN));
      cT[l - 1] = buffer(`CT${l - 1}`, inN * M, true);
      await gemm(W[l], padded[l], cT[l], cT[l - 1], null, inN, n, M, false);
      multiplyByDerivative(layers[l - 2].activation, cT[l - 1], H[l - 1], m, inN, M, padded[l - 1]);
    }
    return {
      loss,
      hits,
      kernelGrads,
      firstUntransposed: true,
      biasGrads,
      bnGrads: layers.map(() => null),
      batchStats: layers.map(() => null),
    };
  };
}

/** A helper answering this much later than this thread's own half counts as late. */
const LATE_MS = 0.5;
/** Late answers in a row after which the helper rests. */
const STRIKES = 3;
/** Products a resting helper sits out before it is tried again. */
const REST = 1000;

/**
 * Whether to hand half a product to the helper. On a machine whose other core is busy (another
 * process, a parallel run) the helper thread waits for a time slice, and one product can take
 * 10 ms instead of 0.3: after a few late answers in a row the pass computes alone, trying the
 * helper again now and then. Who computes which rows changes no bit.
 */
export function helperPacing(): { use(): boolean; record(mineMs: number, waitedMs: number): void } {
  let strikes = 0;
  let resting = 0;
  return {
    use() {
      if (resting === 0) return true;
      resting--;
      if (resting === 0) strikes = STRIKES - 1; // one more late answer and it rests again
      return false;
    },
    record(mineMs, waitedMs) {
      strikes = waitedMs > mineMs + LATE_MS ? strikes + 1 : 0;
      if (strikes >= STRIKES) {
        strikes = 0;
        resting = REST;
      }
    },
  };
}

/** The first `cols` of each of `rows` rows `stride` apart, packed into `out`. */
function unpad(from: Float32Array, rows: number, cols: number, stride: number, out: Float32Array): Float32Array {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = from[i * stride + j];
  return out;
}
