/**
 * The fast engine's forward and backward pass with every matrix product in gradlab's gemm
 * kernel (kernels/gemm.ts), for dense nets without batch normalization on file-order batches
 * (Xᵀ at hand). The same arithmetic as the tfjs pass, product for product and in the same
 * product forms: the kernel returns tfjs-wasm's matMul bits, and what tf.fused.matMul applies
 * after the sum is applied exactly (relu, leaky ReLU: in the kernel module,
 * kernels/activation.ts, as are the derivatives) or by the tfjs op itself (sigmoid, elu, and
 * the plain forms' bias and activation). dense-engine-kernel.test.ts checks the bits. What it
 * saves is tfjs's fixed cost per op (~30 ops a step) and XNNPACK's re-packing of weights
 * that change every step.
 *
 * In the kernel's memory, for a batch of m rows and widths n_0 … n_L (row-major):
 *
 *   X [m × n_0], Xᵀ [n_0 × m]         the batch (Xᵀ used in place when it is there already)
 *   W_l [n_{l−1} × n_l], b_l           the engine's values of the parameters, which live there
 *   H_l [m × n_l]                     Z_l = b_l + H_{l−1}·W_l, activated in place (H_0 = X)
 *   Cᵀ_l [n_l × m]                    ∂loss/∂Z_l, transposed
 *
 *   backward  ∂W_lᵀ = Cᵀ_l·H_{l−1}                          into the gradient's own array
 *             Cᵀ_{l−1} = (W_l·Cᵀ_l) ⊙ f'(H_{l−1})ᵀ          the product in the kernel, f' on the host
 *             ∂W_1 = Xᵀ·C_1                                  C_1 = (Cᵀ_1)ᵀ transposed on the host
 *
 * The first layer's two products (~70% of E1's arithmetic) split by rows with the helper
 * thread, when there is one; the small ones cost less than a hand-off.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Backend } from "../../backend/mod.ts";
import { locateNonFiniteForward } from "../autodiff-engine.ts";
import type { HostBatch } from "../batches.ts";
import type { StepPosition } from "../engine.ts";
import type { Model } from "../model.ts";
import { nonFiniteLossError } from "../nonfinite.ts";
import type { KernelModule, GemmOperands } from "./kernels/gemm.ts";
import type { GemmHelper } from "./kernels/gemm-helper.ts";
import { biasGradient, logitGradient } from "./logit-gradient.ts";
import { transposedOf } from "./batch-layout.ts";
import type { PassResult } from "./pass-result.ts";
import { finishPlain, type ProductForm } from "./product-form.ts";

export interface KernelPassSetup {
  backend: Backend;
  model: Model;
  forms: ProductForm[];
  /** the bias variables (plain forms add them as a tfjs op) */
  biases: (tf.Tensor1D | undefined)[];
  /** per layer: the current values of its kernel ([in, out]) and bias, in the kernel's memory */
  weightValues: Float32Array[];
  biasValues: (Float32Array | null)[];
  classification: boolean;
  kernel: KernelModule;
  helper: GemmHelper | null;
  /** resolves when the helper has the kernel's memory */
  attached: Promise<void> | null;
  /** a reusable array in the kernel's memory, by role and length */
  region: (role: string, length: number) => Float32Array;
}

/**
 * @example
 * const pass = kernelPass(setup);
 * const { loss, weightGrads } = await pass(batch, where); // batch.xT set, no batch norm
 */
export function kernelPass(s: KernelPassSetup): (hb: HostBatch, where: StepPosition) => Promise<PassResult> {
  const { model, forms, kernel, helper, region: inKernel } = s;
  const { readView, tensorOfCopy } = s.backend;
  const layers = model.spec.layers;
  const L = layers.length;
  const widths = [model.spec.inputSize, ...layers.map((l) => l.units)];

  const pacing = helperPacing();
  /** One product, its rows split with the helper when `split` and splitting pays. */
  const gemm = async (o: GemmOperands, split: boolean) => {
    if (!split || !helper || o.rows < 2) return kernel.run(kernel.args(o));
    const macs = o.rows * o.k * o.n;
    if (!pacing.use()) {
      const started = performance.now();
      kernel.run(kernel.args(o));
      return pacing.recordAlone(performance.now() - started, macs);
    }
    await s.attached;
    const half = o.rows >> 1;
    const mine = kernel.args({ ...o, rows: half });
    const rest = { ...mine, rows: o.rows - half };
    rest.a += 4 * half * (mine.transA ? 1 : mine.lda);
    rest.c += 4 * half * mine.ldc;
    helper.start(rest);
    const started = performance.now();
    let own = 0;
    try {
      kernel.run(mine);
      own = performance.now() - started;
    } finally {
      helper.wait();
    }
    pacing.record(own, performance.now() - started - own, macs);
  };

  /** What follows the sum in layer l's product form, in place on H_l = Z_l ([m × n_l], exactly). */
  const activateInPlace = (l: number, h: Float32Array, m: number) => {
    const form = forms[l - 1];
    switch (form.activation) {
      case "linear":
        return;
      case "relu":
        return kernel.activation.relu(h);
      case "leakyrelu":
        return kernel.activation.leakyRelu(h, form.leakyreluAlpha ?? 0);
    }
    // sigmoid, elu and the plain forms: the tfjs ops tfjs would run
    const t = tensorOfCopy(h, [m, widths[l]]) as tf.Tensor2D;
    let out: tf.Tensor2D;
    if (form.activation === null) {
      out = finishPlain(t, s.biases[l - 1], layers[l - 1].activation);
    } else {
      out = (form.activation === "sigmoid" ? tf.sigmoid(t) : tf.elu(t)) as tf.Tensor2D;
      t.dispose();
    }
    h.set(readView(out));
    out.dispose();
  };

  return async (hb, where) => {
    const m = hb.rows;
    const x = inKernel("X", m * widths[0]);
    x.set(hb.x);
    const given = transposedOf(hb)!;
    let xT = given;
    if (!kernel.holds(xT)) {
      xT = inKernel("XT", widths[0] * m);
      xT.set(given);
    }

    // forward
    const H: Float32Array[] = [x];
    for (let l = 1; l <= L; l++) {
      const form = forms[l - 1];
      const bias = form.activation !== null && form.bias ? s.biasValues[l - 1] : null;
      H[l] = inKernel(`H${l}`, m * widths[l]);
      await gemm({ a: H[l - 1], b: s.weightValues[l - 1], c: H[l], bias, rows: m, k: widths[l - 1], n: widths[l] }, l === 1);
      activateInPlace(l, H[l], m);
    }

    const cT: Float32Array[] = [];
    cT[L] = inKernel(`CT${L}`, widths[L] * m);
    const { loss, hits } = logitGradient(H[L], hb, s.classification, cT[L]);
    if (!Number.isFinite(loss)) {
      const input = tf.tensor2d(hb.x, [m, widths[0]]);
      try {
        throw nonFiniteLossError(loss, where, await locateNonFiniteForward(model, input));
      } finally {
        input.dispose();
      }
    }

    // backward
    const weightGrads: Float32Array[] = new Array(L);
    const biasGrads: (Float32Array | null)[] = layers.map(() => null);
    for (let l = L; l >= 1; l--) {
      const [n, inN] = [widths[l], widths[l - 1]];
      if (s.biasValues[l - 1]) biasGrads[l - 1] = biasGradient(cT[l], n, m, m, inKernel(`bias${l}`, n));
      weightGrads[l - 1] = inKernel(`dW${l}`, n * inN);
      if (l === 1) {
        const c = inKernel("C1", m * n);
        for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) c[i * n + j] = cT[1][j * m + i];
        await gemm({ a: xT, b: c, c: weightGrads[0], rows: inN, k: m, n }, true);
        break;
      }
      await gemm({ a: cT[l], b: H[l - 1], c: weightGrads[l - 1], rows: n, k: m, n: inN }, false);
      cT[l - 1] = inKernel(`CT${l - 1}`, inN * m);
      await gemm({ a: s.weightValues[l - 1], b: cT[l], c: cT[l - 1], rows: inN, k: n, n: m }, false);
      kernel.activation.multiplyByDerivative(layers[l - 2].activation, cT[l - 1], H[l - 1], m, inN);
    }
    return {
      loss,
      hits,
      weightGrads,
      firstUntransposed: true,
      biasGrads,
      bnGrads: layers.map(() => null),
      batchStats: layers.map(() => null),
    };
  };
}

/** Split products in a row no faster than alone after which the helper rests. */
const STRIKES = 3;
/** Products a resting helper sits out before it is tried again. */
const REST = 200;
/**
 * The first products, which do not count: the helper's thread compiles the kernel module on
 * first use and runs it unoptimized for a while (its first answers come late). They
 * alternate between split and alone, to learn what a product costs alone; 500 products are
 * ~250 E1 steps.
 */
const WARMUP = 500;

export interface HelperPacing {
  /** Whether to split the next product with the helper. */
  use(): boolean;
  /** A split product: this thread's half took `mineMs`, then it waited `waitedMs` for the helper's. */
  record(mineMs: number, waitedMs: number, macs: number): void;
  /** A product computed alone. */
  recordAlone(ms: number, macs: number): void;
}

/**
 * Whether to hand half a product to the helper: only while that pays. It stops paying where
 * the other core is busy (another process, a parallel run: the helper waits for a time slice,
 * many times longer than the product) or where the two threads share one core's arithmetic
 * (a half then takes as long as the whole; docs/performance.md). After a few split
 * products in a row no faster than alone, the pass computes alone, trying the helper again
 * now and then. Who computes which rows changes no bit.
 */
export function helperPacing(): HelperPacing {
  let strikes = 0;
  let resting = 0;
  let calls = 0;
  /** ms per multiply-add of a product alone (exponential average), 0 while unknown */
  let aloneRate = 0;
  return {
    use() {
      if (calls++ < WARMUP) return calls % 2 === 0;
      if (resting === 0) return true;
      resting--;
      if (resting === 0) strikes = STRIKES - 1; // one more product that gains nothing and it rests again
      return false;
    },
    record(mineMs, waitedMs, macs) {
      if (calls <= WARMUP || aloneRate === 0) return;
      const gainsNothing = (mineMs + waitedMs) / macs > aloneRate;
      strikes = gainsNothing ? strikes + 1 : 0;
      if (strikes >= STRIKES) {
        strikes = 0;
        resting = REST;
      }
    },
    recordAlone(ms, macs) {
      aloneRate = aloneRate === 0 ? ms / macs : 0.9 * aloneRate + 0.1 * (ms / macs);
    },
  };
}
