/**
 * The fast engine for dense nets, with or without batch normalization. Same math as the
 * autodiff engine, arranged for tfjs-backend-wasm, where only untransposed matMuls reach XNNPACK
 * (a transposed operand falls to a scalar loop, many times slower) and every op has a fixed
 * cost that dominates at gradlab's sizes (docs/performance.md):
 *
 *   forward   H_l = f(H_{l−1}·W_l + b_l)          one fused matMul per layer where f fuses
 *   top       Cᵀ_L = (softmax(Z_L) − Y)ᵀ/m        (cross-entropy) or 2(Z_L − Y)ᵀ/(m·k) (MSE),
 *                                                 computed on the host from the read logits
 *   backward  dW_lᵀ = Cᵀ_l · H_{l−1}              [out, in], untransposed; for the first layer
 *             dW_1 = Xᵀ · C_1 when the batch comes with Xᵀ (file-order batches: `train`
 *             transposes them once per run; XNNPACK then packs the small C_1, not X)
 *             dH_{l−1}ᵀ = W_l · Cᵀ_l              [in, m],   untransposed, W_l as stored
 *             Cᵀ_{l−1} = dH_{l−1}ᵀ ⊙ f'(H_{l−1})ᵀ   on the host (read dHᵀ and H, upload Cᵀ:
 *                                                 cheaper than a transpose and 2–3 small ops)
 *             db_l = Cᵀ_l · 1                     row sums on the host
 *   batch norm forward as tfjs ops (batch statistics, biased variance); backward on the host:
 *             dZ = γ·rstd/m · (m·dY − Σdy − x̂·Σ(dy·x̂)), dγ = Σ dy·x̂, dβ = Σ dy (per feature)
 *             (batchnorm.ts, the same forward as the autodiff engine)
 *   update    clipping into the gradients the optimizer applies (host-clipping.ts), which the
 *             recorder's norms after clipping measure; the optimizer as one loop per parameter
 *             over host copies (optimizers/host-update.ts); then each variable is assigned a fresh tensor
 *             of its new values
 *
 * So no weight and no input batch is ever transposed, and the optimizer's ~10 ops per
 * variable become one loop. It pays off where reading a tensor is a memory copy (cpu, wasm),
 * so it is chosen only there. Weights are replaced, never mutated in place:
 * tfjs-backend-wasm caches XNNPACK operators with the weights packed inside, keyed by tensor.
 *
 * Two passes compute this: the tfjs pass here (any net, any batch), and where gradlab's gemm
 * kernel gives the backend's own matMul bits (wasm), for file-order batches of nets without
 * batch norm, kernel-pass.ts: the same products in that kernel, without tensors, to the bit.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Backend } from "../../backend/mod.ts";
import { activate, multiplyByDerivative } from "../activations.ts";
import { locateNonFiniteForward } from "../autodiff-engine.ts";
import { batchNormBackward, batchNormTrain, type BatchNormTrainResult, updateMovingStatistic } from "../batchnorm.ts";
import type { HostBatch } from "../batches.ts";
import type { Engine, GradientStats, StepPosition } from "../engine.ts";
import { isClassification } from "../losses.ts";
import { type Model, parameterOf } from "../model.ts";
import { nonFiniteLossError, throwOnNonFiniteGradient } from "../nonfinite.ts";
import type { TrainConfig } from "../train-config.ts";
import { transposedOf } from "./batch-layout.ts";
import { clipGradients } from "./host-clipping.ts";
import { gradientStatistics, sumOfSquares } from "./host-statistics.ts";
import { type GradientView, hostOptimizer } from "../optimizers/host-update.ts";
import { kernelPass } from "./kernel-pass.ts";
import { createKernelModule, type KernelModule } from "./kernels/gemm.ts";
import type { GemmHelper } from "./kernels/gemm-helper.ts";
import { biasGradient, logitGradient } from "./logit-gradient.ts";
import type { PassResult } from "./pass-result.ts";
import { finishPlain, product, productForm } from "./product-form.ts";

export interface FastDenseOptions {
  /** the backend it runs on (one that keeps tensors in host memory) */
  backend: Backend;
  /**
   * Every product of a step on a file-order batch (nets without batch norm) in gradlab's gemm
   * kernel (kernel-pass.ts) instead of tfjs ops: true, false, or the kernel to use (one whose
   * memory already holds the data set's transposed batches, read in place). Default: where the
   * kernel gives the backend's own matMul bits (wasm), so results do not change.
   */
  kernel?: boolean | KernelModule;
  /**
   * A second thread for the first layer's two big products (needs the kernel): each splits
   * by rows, which changes no bit of the result.
   */
  helper?: GemmHelper | null;
}

/**
 * Why the fast engine should not train on `backend`, or null when it can (any dense net).
 *
 * @example
 * fastDenseUnsupported(backend) ?? "fast path available";
 */
export function fastDenseUnsupported(backend: Backend): string | null {
  if (!backend.hostMemory) return `backend ${backend.name} keeps tensors off the host, where per-step gradient reads would be slow`;
  return null;
}

/** The last batch's gradients, on the host, in model.parameters order, and its batch statistics. */
interface Pending {
  grads: GradientView[];
  /** Σg² per parameter */
  sumsq: number[];
  batchStats: PassResult["batchStats"];
  /** the gradients the optimizer applies (clipped), once made */
  applied: GradientView[] | null;
}

/**
 * @example
 * const engine = fastDenseEngine(model, config, { backend }); // check fastDenseUnsupported(backend) first
 */
export function fastDenseEngine(model: Model, config: TrainConfig, options: FastDenseOptions): Engine {
  const { backend } = options;
  const { readView } = backend;
  const why = fastDenseUnsupported(backend);
  if (why) throw new Error(`fast-dense engine: ${why}`);
  const layers = model.spec.layers;
  const L = layers.length;
  const weights = layers.map((_, i) => parameterOf(model, i + 1, "kernel")! as tf.Variable<tf.Rank.R2>);
  const biases = layers.map((_, i) => parameterOf(model, i + 1, "bias") as tf.Variable<tf.Rank.R1> | undefined);
  const gammas = layers.map((_, i) => parameterOf(model, i + 1, "gamma") as tf.Variable<tf.Rank.R1> | undefined);
  const betas = layers.map((_, i) => parameterOf(model, i + 1, "beta") as tf.Variable<tf.Rank.R1> | undefined);
  const indexOf = (layer: number, role: string) => model.parameters.findIndex((p) => p.layer === layer && p.role === role);
  const gammaIndex = layers.map((_, i) => indexOf(i + 1, "gamma"));
  const names = model.parameters.map((p) => p.name);
  const paramLayers = model.parameters.map((p) => p.layer);

  const classification = isClassification(config.loss);
  const helper = options.helper ?? null;
  const wanted = options.kernel ?? backend.wasmGemm;
  const kernel = typeof wanted === "object" ? wanted : wanted ? createKernelModule() : null;
  if (helper && !kernel) throw new Error("fast-dense engine: a helper thread needs the gemm kernel (option kernel)");
  const attached = helper && kernel ? helper.attach(kernel.memory) : null;
  attached?.catch(() => {}); // awaited, and so reported, by the first step that uses it
  const optimizer = hostOptimizer(config.optimizer, model.parameters.map((p) => p.variable.size), kernel);
  // The parameters' current values on the host (in the kernel's memory, where its products
  // read them); the optimizer updates these.
  const master = model.parameters.map((p) => {
    const values = kernel ? kernel.alloc(p.variable.size) : new Float32Array(p.variable.size);
    values.set(p.variable.dataSync() as Float32Array);
    return values;
  });
  const forms = layers.map((layer, l) => productForm(layer.activation, layer.batchNorm !== undefined, biases[l] !== undefined));
  let pending: Pending | null = null;
  // Host buffers reused from step to step, one per role and length (the last batch of an
  // epoch may be short): a step allocates no host arrays of its own. Operands and results of
  // the kernel live in its memory.
  const buffers = new Map<string, Float32Array>();
  const buffer = (role: string, length: number, inKernel = false): Float32Array => {
    const key = `${role}:${length}:${inKernel}`;
    let b = buffers.get(key);
    if (!b) buffers.set(key, b = inKernel ? kernel!.alloc(length) : new Float32Array(length));
    return b;
  };
  const inputSize = model.spec.inputSize;
  /** A tensor's values copied into the reusable buffer `role`; the tensor is disposed. */
  const copyOut = (t: tf.Tensor, role: string): Float32Array => {
    const out = buffer(role, t.size);
    out.set(readView(t));
    t.dispose();
    return out;
  };
  const byKernel = kernel && !layers.some((layer) => layer.batchNorm)
    ? kernelPass({
      backend,
      model,
      forms,
      biases,
      weightValues: layers.map((_, l) => master[indexOf(l + 1, "kernel")]),
      biasValues: layers.map((_, l) => (biases[l] ? master[indexOf(l + 1, "bias")] : null)),
      classification,
      kernel,
      helper,
      attached,
      region: (role, length) => buffer(role, length, true),
    })
    : null;

  /** The pass in tfjs ops (any net, any batch), reading and writing the host only where it pays. */
  const tfjsPass = async (hb: HostBatch, where: StepPosition): Promise<PassResult> => {
    const m = hb.rows;
    // With Xᵀ at hand the first layer's gradient needs no X tensor, but its product does.
    const x = tf.tensor2d(hb.x, [m, inputSize]);
    const inputs: tf.Tensor2D[] = [x];
    const tapes: (Omit<BatchNormTrainResult, "output"> | null)[] = layers.map(() => null);
    let logits = x as tf.Tensor2D;
    for (let l = 0; l < L; l++) {
      const bn = layers[l].batchNorm;
      const z = product(logits, weights[l], biases[l], forms[l]);
      if (bn) {
        const { output: y, ...tape } = tf.tidy(() => ({ ...batchNormTrain(z, gammas[l]!, betas[l]!, bn.epsilon) })) as unknown as BatchNormTrainResult;
        z.dispose();
        tapes[l] = tape;
        logits = layers[l].activation.name === "linear" ? y : tf.tidy(() => activate(layers[l].activation, y) as tf.Tensor2D);
        if (logits !== y) y.dispose();
      } else {
        logits = forms[l].activation === null ? finishPlain(z, biases[l], layers[l].activation) : z;
      }
      if (l < L - 1) inputs.push(logits);
    }
    // Host reads go through readView: this engine runs only where tensors live in host memory,
    // and a view skips dataSync's copy and bookkeeping. A view is read at once or copied.
    const cTop = buffer("top", m * hb.targetWidth);
    const { loss, hits } = logitGradient(readView(logits), hb, classification, cTop);
    logits.dispose();
    const liveTapes = () => tapes.flatMap((t) => (t ? [t.xhat, t.rstd, t.mean, t.variance] : []));
    if (!Number.isFinite(loss)) {
      const detail = await locateNonFiniteForward(model, x);
      disposeAll([...inputs, ...liveTapes()]);
      throw nonFiniteLossError(loss, where, detail);
    }

    const weightGrads: Float32Array[] = new Array(L);
    let firstUntransposed = false;
    const bnGrads: PassResult["bnGrads"] = layers.map(() => null);
    const batchStats: PassResult["batchStats"] = layers.map(() => null);
    /** Cᵀ of layer l on the host: dYᵀ for plain layers; for batch-normalized ones, dZᵀ through batch norm's backward. */
    const preActivationGrad = (l: number, dyT: Float32Array): Float32Array => {
      const tape = tapes[l];
      if (!tape) return dyT;
      const n = layers[l].units;
      const into = { dzT: buffer(`bn-dz${l}`, n * m), dGamma: buffer(`bn-dgamma${l}`, n), dBeta: buffer(`bn-dbeta${l}`, n) };
      const r = batchNormBackward(dyT, readView(tape.xhat), readView(tape.rstd), master[gammaIndex[l]], m, n, into);
      bnGrads[l] = { dGamma: r.dGamma, dBeta: r.dBeta };
      batchStats[l] = { mean: readView(tape.mean).slice(), variance: readView(tape.variance).slice() };
      return r.dzT;
    };
    const biasGrads: (Float32Array | null)[] = layers.map(() => null);
    let cHost = preActivationGrad(L - 1, cTop);
    for (let l = L - 1; l >= 0; l--) {
      const n = layers[l].units;
      if (biases[l]) biasGrads[l] = biasGradient(cHost, n, m, m, buffer(`bias${l}`, n));
      const xT = transposedOf(hb);
      if (l === 0 && xT) {
        // dW_1 = Xᵀ·C_1 with C_1 = (Cᵀ_1)ᵀ, transposed here on the host.
        const c = buffer("c1", m * n);
        for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) c[i * n + j] = cHost[j * m + i];
        const dW = tf.tidy(() => tf.matMul(tf.tensor2d(xT, [inputSize, m]), tf.tensor2d(c, [m, n])));
        weightGrads[0] = copyOut(dW, "dW0");
        firstUntransposed = true;
        break;
      }
      const cT = tf.tensor2d(cHost, [n, m]);
      weightGrads[l] = copyOut(tf.matMul(cT, inputs[l]), `dW${l}`);
      if (l > 0) {
        const dHT = tf.matMul(weights[l], cT);
        const dyT = buffer(`dy${l}`, dHT.size);
        dyT.set(readView(dHT)); // a copy: it is changed in place below
        dHT.dispose();
        multiplyByDerivative(layers[l - 1].activation, dyT, readView(inputs[l]), m, layers[l - 1].units);
        cHost = preActivationGrad(l - 1, dyT);
      }
      cT.dispose();
    }
    disposeAll([...inputs, ...liveTapes()]);
    return { loss, hits, weightGrads, firstUntransposed, biasGrads, bnGrads, batchStats };
  };

  /** Σg² of a gradient, in the kernel module where it lives in the kernel's memory. */
  const sumOfSquaresOf = (g: GradientView): number => (kernel?.holds(g.data) ? kernel.sumOfSquares(g.data) : sumOfSquares(g.data));
  /**
   * The gradients the update applies: the last batch's, clipped (made once per step, into
   * buffers of their own, in the kernel's memory beside gradients that live there).
   */
  const applied = (): GradientView[] => {
    const p = pending!;
    p.applied ??= clipGradients(config.clipping, p.grads, p.sumsq, (i) => buffer(`applied${i}`, p.grads[i].data.length, kernel?.holds(p.grads[i].data) ?? false));
    return p.applied;
  };

  let products: Engine["products"] = "tfjs ops";
  return {
    name: "fast-dense",
    model,
    get products() {
      return products;
    },
    async compute(hb: HostBatch, where: StepPosition) {
      pending = null;
      const xT = transposedOf(hb);
      products = byKernel && xT ? "gemm kernel" : "tfjs ops";
      const { loss, hits, weightGrads, firstUntransposed, biasGrads, bnGrads, batchStats } = byKernel && xT
        ? await byKernel(hb, where)
        : await tfjsPass(hb, where);
      const grads: GradientView[] = model.parameters.map((param) => {
        const l = param.layer - 1;
        const size = param.variable.size;
        switch (param.role) {
          case "kernel": {
            const [rows, cols] = param.variable.shape;
            return { data: weightGrads[l], rows, cols, transposed: !(l === 0 && firstUntransposed) };
          }
          case "gamma": return { data: bnGrads[l]!.dGamma, rows: 1, cols: size, transposed: false };
          case "beta": return { data: bnGrads[l]!.dBeta, rows: 1, cols: size, transposed: false };
          case "bias": return { data: biasGrads[l]!, rows: 1, cols: size, transposed: false };
        }
      });
      const sumsq = grads.map(sumOfSquaresOf);
      pending = { grads, sumsq, batchStats, applied: null };
      if (!sumsq.every(Number.isFinite)) {
        const values = grads.map((g, i) => tf.tensor(g.transposed ? transposeBack(g) : g.data, model.parameters[i].variable.shape));
        try {
          await throwOnNonFiniteGradient(names, paramLayers, values, where);
        } finally {
          tf.dispose(values);
        }
      }
      return { loss, hits };
    },
    async stats(): Promise<GradientStats> {
      const { grads, sumsq } = pending!;
      return gradientStatistics(grads, sumsq, config.clipping.name === "none" ? null : applied(), sumOfSquaresOf);
    },
    async gradientValues() {
      return pending!.grads.map((g) => Array.from(g.transposed ? transposeBack(g) : g.data));
    },
    update() {
      optimizer.apply(master, applied());
      // master changes next step: the new values go in as copies (tensorOfCopy).
      tf.tidy(() => model.parameters.forEach((param, i) => param.variable.assign(backend.tensorOfCopy(master[i], param.variable.shape))));
      pending!.batchStats.forEach((stats, l) => {
        if (!stats) return;
        const state = model.batchNorm[l]!;
        for (const [moving, batch] of [[state.movingMean, stats.mean], [state.movingVariance, stats.variance]] as const) {
          const v = (moving.dataSync() as Float32Array).slice();
          updateMovingStatistic(v, batch, layers[l].batchNorm!.momentum);
          tf.tidy(() => moving.assign(tf.tensor1d(v)));
        }
      });
      pending = null;
    },
    dispose() {
      pending = null;
    },
  };
}

/**
 * Disposes each tensor. (tf.dispose walks its argument as a container, key by key, which
 * costs more than the disposals for a handful of tensors: docs/performance.md.)
 */
function disposeAll(ts: tf.Tensor[]): void {
  for (const t of ts) t.dispose();
}

/** A transposed gradient view in its parameter's own row-major layout. */
function transposeBack(g: GradientView): Float32Array {
  const out = new Float32Array(g.data.length);
  for (let i = 0; i < g.rows; i++) for (let j = 0; j < g.cols; j++) out[i * g.cols + j] = g.data[j * g.rows + i];
  return out;
}
