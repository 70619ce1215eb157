/**
 * The fast engine for dense nets, with or without batch normalization. Same math as the
 * autodiff engine, arranged for tfjs-backend-wasm, where only untransposed matMuls reach XNNPACK
 * (a transposed operand falls to a scalar loop, ~10× slower) and every op costs 15–40 µs:
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
 *   update    clipping and the optimizer as one loop over host copies (host-update.ts), then
 *             each variable is assigned a fresh tensor of its new values
 *
 * So no weight and no input batch is ever transposed, and the optimizer's ~10 ops per
 * variable become one loop. It pays off where reading a tensor is a memory copy (cpu, wasm),
 * so it is chosen only there. Weights are replaced, never mutated in place:
 * tfjs-backend-wasm caches XNNPACK operators with the weights packed inside, keyed by tensor.
 */
import * as tf from "@tensorflow/tfjs-core";
import { hasHostMemory, readView } from "../../backend/mod.ts";
import { activate, multiplyByDerivative } from "../activations.ts";
import { locateNonFiniteForward } from "../autodiff-engine.ts";
import type { HostBatch } from "../batches.ts";
import type { Engine, GradientStats, StepPosition } from "../engine.ts";
import { isClassification } from "../losses.ts";
import { type Model, parameterOf } from "../model.ts";
import type { ActivationSpec, ModelSpec } from "../model-spec.ts";
import { nonFiniteLossError, throwOnNonFiniteGradient } from "../nonfinite.ts";
import type { TrainConfig } from "../train-config.ts";
import { clipFactors, type GradientView, hostOptimizer, meanAbs, sumOfSquares } from "./host-update.ts";

/**
 * Why the fast engine should not train this model on the active backend, or null when it can.
 *
 * @example
 * fastDenseUnsupported(spec) ?? "fast path available";
 */
export function fastDenseUnsupported(_spec: ModelSpec): string | null {
  if (!hasHostMemory()) return `backend ${tf.getBackend()} keeps tensors off the host, where per-step gradient reads would be slow`;
  return null;
}

type Fusable = "linear" | "relu" | "sigmoid" | "leakyrelu" | "elu";

/** The fused-matMul activation that computes this activation exactly, if any. */
function fusable(a: ActivationSpec): { activation: Fusable; leakyreluAlpha?: number } | null {
  switch (a.name) {
    case "linear": return { activation: "linear" };
    case "relu": return { activation: "relu" };
    case "sigmoid": return { activation: "sigmoid" };
    case "leakyRelu": return { activation: "leakyrelu", leakyreluAlpha: a.alpha };
    case "elu": return a.alpha === 1 ? { activation: "elu" } : null;
    default: return null;
  }
}

function dense(h: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D | undefined, a: ActivationSpec): tf.Tensor2D {
  const f = fusable(a);
  if (f) return tf.fused.matMul({ a: h, b: w, bias: b, ...f }) as tf.Tensor2D;
  return tf.tidy(() => activate(a, b ? tf.add(tf.matMul(h, w), b) : tf.matMul(h, w)) as tf.Tensor2D);
}

/** The last batch's gradients, on the host, in model.parameters order, and its batch statistics. */
interface Pending {
  grads: GradientView[];
  /** Σg² per parameter */
  sumsq: number[];
  /** per layer: the batch mean and biased variance of batch-normalized layers */
  batchStats: ({ mean: Float32Array; variance: Float32Array } | null)[];
}

/**
 * Loss, correct count and Cᵀ_L (the loss gradient with respect to the logits, transposed)
 * from the logits, in float64.
 */
function top(z: Float32Array, hb: HostBatch, classification: boolean): { loss: number; hits: number; cT: Float32Array } {
  const m = hb.rows;
  const k = hb.targetWidth;
  const cT = new Float32Array(k * m);
  let loss = 0;
  let hits = 0;
  for (let i = 0; i < m; i++) {
    const row = i * k;
    if (classification) {
      let max = -Infinity;
      let arg = 0;
      for (let c = 0; c < k; c++) {
        if (z[row + c] > max) {
          max = z[row + c];
          arg = c;
        }
      }
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(z[row + c] - max);
      const lse = max + Math.log(sum);
      const label = hb.labels![i];
      loss += lse - z[row + label];
      if (arg === label) hits++;
      for (let c = 0; c < k; c++) cT[c * m + i] = (Math.exp(z[row + c] - lse) - (c === label ? 1 : 0)) / m;
    } else {
      for (let c = 0; c < k; c++) {
        const d = z[row + c] - hb.targets[row + c];
        loss += d * d;
        cT[c * m + i] = (2 * d) / (m * k);
      }
    }
  }
  return { loss: classification ? loss / m : loss / (m * k), hits, cT };
}

/** What a batch-normalized layer's forward pass keeps for its backward pass. */
interface BatchNormTape {
  /** x̂, [m, n] */
  xhat: tf.Tensor2D;
  /** 1/√(σ²_B + ε), [n] */
  rstd: tf.Tensor1D;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** Batch norm in training mode on Z ([m, n]): the normalized and scaled output, and the tape. */
function batchNormForward(z: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): { y: tf.Tensor2D; tape: BatchNormTape } {
  return tf.tidy(() => {
    const mean = tf.mean(z, 0) as tf.Tensor1D;
    const centered = tf.sub(z, mean);
    const variance = tf.mean(tf.square(centered), 0) as tf.Tensor1D;
    const rstd = tf.rsqrt(tf.add(variance, epsilon)) as tf.Tensor1D;
    const xhat = tf.mul(centered, rstd) as tf.Tensor2D;
    const y = tf.add(tf.mul(xhat, gamma), beta) as tf.Tensor2D;
    return { y, tape: { xhat, rstd, mean, variance } };
  });
}

/**
 * Batch norm's backward pass on the host, in float64 per feature j over the m rows:
 * dγ_j = Σ dy·x̂, dβ_j = Σ dy, dz = γ_j·rstd_j/m · (m·dy − Σdy − x̂·Σ(dy·x̂)).
 * `dyT` and the result are transposed ([n, m]); `xhat` is row-major [m, n].
 */
export function batchNormBackward(
  dyT: Float32Array,
  xhat: Float32Array,
  rstd: Float32Array,
  gamma: Float32Array,
  m: number,
  n: number,
): { dzT: Float32Array; dGamma: Float32Array; dBeta: Float32Array } {
  const dzT = new Float32Array(n * m);
  const dGamma = new Float32Array(n);
  const dBeta = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const row = j * m;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < m; i++) {
      s1 += dyT[row + i];
      s2 += dyT[row + i] * xhat[i * n + j];
    }
    dBeta[j] = s1;
    dGamma[j] = s2;
    const k = (gamma[j] * rstd[j]) / m;
    for (let i = 0; i < m; i++) dzT[row + i] = k * (m * dyT[row + i] - s1 - xhat[i * n + j] * s2);
  }
  return { dzT, dGamma, dBeta };
}

/**
 * @example
 * const engine = fastDenseEngine(model, config); // check fastDenseUnsupported(spec) first
 */
export function fastDenseEngine(model: Model, config: TrainConfig): Engine {
  const why = fastDenseUnsupported(model.spec);
  if (why) throw new Error(`fast-dense engine: ${why}`);
  const layers = model.spec.layers;
  const L = layers.length;
  const kernels = layers.map((_, i) => parameterOf(model, i + 1, "kernel")! as tf.Variable<tf.Rank.R2>);
  const biases = layers.map((_, i) => parameterOf(model, i + 1, "bias") as tf.Variable<tf.Rank.R1> | undefined);
  const gammas = layers.map((_, i) => parameterOf(model, i + 1, "gamma") as tf.Variable<tf.Rank.R1> | undefined);
  const betas = layers.map((_, i) => parameterOf(model, i + 1, "beta") as tf.Variable<tf.Rank.R1> | undefined);
  const gammaIndex = layers.map((_, i) => model.parameters.findIndex((p) => p.layer === i + 1 && p.role === "gamma"));
  const names = model.parameters.map((p) => p.name);
  const paramLayers = model.parameters.map((p) => p.layer);
  const optimizer = hostOptimizer(config.optimizer, model.parameters.map((p) => p.variable.size));
  const classification = isClassification(config.loss);
  // The parameters' current values on the host; the optimizer updates these.
  const master = model.parameters.map((p) => (p.variable.dataSync() as Float32Array).slice());
  let pending: Pending | null = null;
  return {
    name: "fast-dense",
    model,
    async compute(hb: HostBatch, where: StepPosition) {
      pending = null;
      const m = hb.rows;
      const x = tf.tensor2d(hb.x, [m, model.spec.inputSize]);
      const inputs: tf.Tensor2D[] = [x];
      const tapes: (BatchNormTape | null)[] = layers.map(() => null);
      let logits = x;
      for (let l = 0; l < L; l++) {
        const bn = layers[l].batchNorm;
        if (bn) {
          const zl = tf.fused.matMul({ a: logits, b: kernels[l], bias: biases[l] }) as tf.Tensor2D;
          const { y, tape } = batchNormForward(zl, gammas[l]!, betas[l]!, bn.epsilon);
          zl.dispose();
          tapes[l] = tape;
          logits = layers[l].activation.name === "linear" ? y : tf.tidy(() => activate(layers[l].activation, y) as tf.Tensor2D);
          if (logits !== y) y.dispose();
        } else {
          logits = dense(logits, kernels[l], biases[l], layers[l].activation);
        }
        if (l < L - 1) inputs.push(logits);
      }
      // Host reads go through readView: this engine runs only where tensors live in host memory,
      // and a view skips dataSync's copy and bookkeeping. A view is read at once or copied.
      const { loss, hits, cT: cTop } = top(readView(logits), hb, classification);
      logits.dispose();
      const liveTapes = () => tapes.flatMap((t) => (t ? [t.xhat, t.rstd, t.mean, t.variance] : []));
      if (!Number.isFinite(loss)) {
        const detail = await locateNonFiniteForward(model, x);
        tf.dispose([...inputs, ...liveTapes()]);
        throw nonFiniteLossError(loss, where, detail);
      }

      const kernelGradsT: tf.Tensor2D[] = new Array(L);
      let firstLayerUntransposed = false;
      const bnGrads: ({ dGamma: Float32Array; dBeta: Float32Array } | null)[] = layers.map(() => null);
      const batchStats: Pending["batchStats"] = layers.map(() => null);
      /** Cᵀ of layer l on the host: dYᵀ for plain layers; for batch-normalized ones, dZᵀ through batch norm's backward. */
      const preActivationGrad = (l: number, dyT: Float32Array): Float32Array => {
        const tape = tapes[l];
        if (!tape) return dyT;
        const r = batchNormBackward(dyT, readView(tape.xhat), readView(tape.rstd), master[gammaIndex[l]], m, layers[l].units);
        bnGrads[l] = { dGamma: r.dGamma, dBeta: r.dBeta };
        batchStats[l] = { mean: readView(tape.mean).slice(), variance: readView(tape.variance).slice() };
        return r.dzT;
      };
      const xT = hb.xT ? tf.tensor2d(hb.xT, [model.spec.inputSize, m]) : null;
      const biasGrads: (Float32Array | null)[] = layers.map(() => null);
      let cHost = preActivationGrad(L - 1, cTop);
      for (let l = L - 1; l >= 0; l--) {
        const n = layers[l].units;
        if (biases[l]) {
          // Row sums of Cᵀ_l, accumulated in float64.
          const out = new Float32Array(n);
          for (let r = 0; r < n; r++) {
            let sum = 0;
            for (let c = 0; c < m; c++) sum += cHost[r * m + c];
            out[r] = sum;
          }
          biasGrads[l] = out;
        }
        if (l === 0 && xT) {
          // dW_1 = Xᵀ·C_1 with C_1 = (Cᵀ_1)ᵀ, transposed here on the host.
          const c = new Float32Array(m * n);
          for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) c[i * n + j] = cHost[j * m + i];
          kernelGradsT[0] = tf.tidy(() => tf.matMul(xT, tf.tensor2d(c, [m, n])));
          firstLayerUntransposed = true;
          break;
        }
        const cT = tf.tensor2d(cHost, [n, m]);
        kernelGradsT[l] = tf.matMul(cT, inputs[l]);
        if (l > 0) {
          const dHT = tf.matMul(kernels[l], cT);
          const dyT = readView(dHT).slice(); // a copy: it is changed in place below
          dHT.dispose();
          multiplyByDerivative(layers[l - 1].activation, dyT, readView(inputs[l]), m, layers[l - 1].units);
          cHost = preActivationGrad(l - 1, dyT);
        }
        cT.dispose();
      }
      const kernelData = kernelGradsT.map((t) => readView(t).slice());
      tf.dispose([...inputs, ...kernelGradsT, ...liveTapes(), ...(xT ? [xT] : [])]);

      const grads: GradientView[] = model.parameters.map((param) => {
        const l = param.layer - 1;
        const size = param.variable.size;
        switch (param.role) {
          case "kernel": {
            const [rows, cols] = param.variable.shape;
            return { data: kernelData[l], rows, cols, transposed: !(l === 0 && firstLayerUntransposed) };
          }
          case "gamma": return { data: bnGrads[l]!.dGamma, rows: 1, cols: size, transposed: false };
          case "beta": return { data: bnGrads[l]!.dBeta, rows: 1, cols: size, transposed: false };
          case "bias": return { data: biasGrads[l]!, rows: 1, cols: size, transposed: false };
        }
      });
      const sumsq = grads.map((g) => sumOfSquares(g.data));
      pending = { grads, sumsq, batchStats };
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
      const out: GradientStats = {
        meanAbs: grads.map((g) => meanAbs(g.data)),
        l2: sumsq.map(Math.sqrt),
        globalNorm: Math.sqrt(sumsq.reduce((a, b) => a + b, 0)),
      };
      const c = config.clipping;
      if (c.name !== "none") {
        const clippedSumsq = c.name === "value"
          ? grads.map((g) => sumOfSquares(g.data.map((x) => Math.min(c.max, Math.max(c.min, x)))))
          : clipFactors(c, sumsq).map((f, i) => f * f * sumsq[i]);
        out.clippedL2 = clippedSumsq.map(Math.sqrt);
        out.clippedGlobalNorm = Math.sqrt(clippedSumsq.reduce((a, b) => a + b, 0));
      }
      return out;
    },
    async gradientValues() {
      return pending!.grads.map((g) => Array.from(g.transposed ? transposeBack(g) : g.data));
    },
    update() {
      const { grads, sumsq } = pending!;
      optimizer.apply(master, grads, clipFactors(config.clipping, sumsq), config.clipping);
      // tf.tensor may keep the array it is given (cpu does): hand it a copy, since master changes next step.
      tf.tidy(() => model.parameters.forEach((param, i) => param.variable.assign(tf.tensor(master[i].slice(), param.variable.shape))));
      // Moving statistics: moving ← momentum·moving + (1 − momentum)·batch, on the host.
      pending!.batchStats.forEach((stats, l) => {
        if (!stats) return;
        const mom = layers[l].batchNorm!.momentum;
        const state = model.batchNorm[l]!;
        for (const [moving, batch] of [[state.movingMean, stats.mean], [state.movingVariance, stats.variance]] as const) {
          const v = (moving.dataSync() as Float32Array).slice();
          for (let j = 0; j < v.length; j++) v[j] = mom * v[j] + (1 - mom) * batch[j];
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

/** A transposed gradient view in its parameter's own row-major layout. */
function transposeBack(g: GradientView): Float32Array {
  const out = new Float32Array(g.data.length);
  for (let i = 0; i < g.rows; i++) for (let j = 0; j < g.cols; j++) out[i * g.cols + j] = g.data[j * g.rows + i];
  return out;
}
