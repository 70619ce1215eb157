/**
 * Law: the same forward pass, loss and gradients (autodiff), and one training step (the
 * training loop with its default engine) give the same numbers on every backend as on
 * `cpu`, within the tolerance that belongs to the backend (tolerance.ts BACKEND_TOLERANCE:
 * `agreement`). On cpu itself the law is determinism: bitwise the same numbers twice.
 */
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, chosenBackend, useBackend } from "../../src/backend/mod.ts";
import {
  type ActivationSpec, createModel, disposeModel, forward, type LayerSpec, lossAndGradients, type LossName, type ModelSpec, Rng, train,
  type TrainConfig,
} from "../../src/core/mod.ts";
import { seed32 } from "../_internals/arbitraries.ts";
import { fmt, isClose } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { normals } from "../_internals/model.ts";
import { defineLaw, type Law } from "../law.ts";

/** A generated net, its data and one training step's settings. */
export interface AgreementCase {
  inputs: number;
  widths: number[];
  activation: ActivationSpec;
  batchNorm: boolean;
  loss: LossName;
  rows: number;
  momentum: boolean;
  seed: number;
}

/** Every number the law compares, by name: "forward", "loss", "gradient dense1/kernel", "step dense1/kernel", … */
export type Computed = Map<string, Float64Array>;

/** Runs a case on a backend and returns what it computed (the law's implementation under test). */
export type Compute = (backend: BackendName, c: AgreementCase) => Promise<Computed>;

const cases: fc.Arbitrary<AgreementCase> = fc.record({
  inputs: fc.integer({ min: 1, max: 8 }),
  hidden: fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 3 }),
  outputs: fc.integer({ min: 2, max: 4 }),
  activation: fc.constantFrom<ActivationSpec>({ name: "sigmoid" }, { name: "tanh" }, { name: "relu" }, { name: "elu", alpha: 1 }, { name: "selu" }, { name: "leakyRelu", alpha: 0.01 }),
  batchNorm: fc.boolean(),
  loss: fc.constantFrom<LossName>("mse", "softmaxCrossEntropy"),
  rows: fc.integer({ min: 2, max: 16 }),
  momentum: fc.boolean(),
  seed: seed32(),
}).map(({ hidden, outputs, ...rest }) => ({ ...rest, widths: [...hidden, outputs] }));

function specOf(c: AgreementCase): ModelSpec {
  return {
    inputSize: c.inputs,
    layers: c.widths.map((units, i): LayerSpec => {
      const last = i === c.widths.length - 1;
      return {
        units,
        activation: last ? { name: "linear" } : c.activation,
        kernelInitializer: { name: "glorotUniform" },
        useBias: true,
        biasInitializer: { name: "randomUniform", limit: 0.1 },
        ...(c.batchNorm && !last ? { batchNorm: { momentum: 0.9, epsilon: 1e-3 } } : {}),
      };
    }),
  };
}

/**
 * Computes the case on the active backend: forward (inference mode), loss and gradients
 * (autodiff), and one step of the training loop.
 *
 * @example
 * const numbers = await computeCase(c);
 */
export async function computeCase(c: AgreementCase): Promise<Computed> {
  const out: Computed = new Map();
  const spec = specOf(c);
  const rng = new Rng(c.seed);
  const outputs = c.widths[c.widths.length - 1];
  const x = normals(rng.fork("x"), c.rows * c.inputs);
  const labels = Int32Array.from({ length: c.rows }, () => rng.int(outputs));
  const y = c.loss === "mse" ? normals(rng.fork("y"), c.rows * outputs) : new Float32Array(c.rows * outputs);
  if (c.loss !== "mse") labels.forEach((l, i) => (y[i * outputs + l] = 1));

  const model = createModel(spec, new Rng(c.seed).fork("init"));
  try {
    const xt = tf.tensor2d(x, [c.rows, c.inputs]), yt = tf.tensor2d(y, [c.rows, outputs]);
    const infer = tf.tidy(() => forward(model, xt, "infer").output);
    out.set("forward", Float64Array.from(await infer.data()));
    const r = lossAndGradients(model, xt, yt, c.loss);
    out.set("loss", Float64Array.from(await r.loss.data()));
    for (const [i, g] of r.gradients.entries()) out.set(`gradient ${model.parameters[i].name}`, Float64Array.from(await g.data()));
    tf.dispose([xt, yt, infer, r.loss, r.output, ...r.gradients, ...r.batchStats.flatMap((s) => [s.mean, s.variance])]);
  } finally {
    disposeModel(model);
  }

  const config: TrainConfig = {
    loss: c.loss,
    optimizer: c.momentum ? { name: "momentum", learningRate: 0.05, momentum: 0.9, nesterov: false } : { name: "sgd", learningRate: 0.1 },
    batchSize: c.rows, epochs: 1, shuffle: false, clipping: { name: "none" }, seed: c.seed,
    record: { every: 0, epochEndValues: true },
  };
  const train_y = c.loss === "mse" ? { kind: "regression" as const, values: y, outputs } : { kind: "classes" as const, labels, classes: outputs };
  const result = await train(spec, config, {
    train: { x, rows: c.rows, features: c.inputs, y: train_y },
    source: { name: "backend-agreement", location: "generated", sha256: "", description: "x ~ N(0,1)" },
  }, { backend: chosenBackend() });
  const snap = result.snapshots[result.snapshots.length - 1];
  result.parameterNames.forEach((name, i) => {
    out.set(`step ${name}`, Float64Array.from(snap.weights[i]));
    if (snap.gradients) out.set(`step gradient ${name}`, Float64Array.from(snap.gradients[i]));
  });
  return out;
}

/** "forward", "loss", "gradient", "step" or "step gradient": the group a computed tensor is scaled with. */
function groupOf(name: string): string {
  return /^(step gradient|forward|loss|gradient|step)\b/.exec(name)![1];
}

/** The default Compute: switch backend (through src/backend), compute. */
export const computeOn: Compute = async (backend, c) => {
  await useBackend(backend);
  return computeCase(c);
};

/**
 * The law, for a pair of computations: the reference on cpu and the one on the checked backend.
 *
 * @example
 * const law = backendAgreement();
 */
export function backendAgreement(reference: Compute = computeOn, checked: Compute = computeOn): Law {
  return defineLaw({
    name: "backend-agreement",
    group: "backends",
    statement: "Forward pass, loss, gradients and one training step agree with cpu on every backend, within the backend's own tolerance.",
    runs: 8,
    tolerance: ({ tolerance: bt }) => ({
      rule: "|x − x_cpu| ≤ atol·scale + rtol·|x_cpu|, scale = max|x_cpu| over the group (forward, loss, gradients, weights after the step), " +
        "with the backend's agreement tolerance (cpu: exact, i.e. deterministic)",
      values: { rtol: bt.agreement.rtol, atol: bt.agreement.atol },
    }),
    property: ({ backend, tolerance: bt }) =>
      fc.asyncProperty(cases, async (c) => {
        const want = await reference("cpu", c);
        const got = await checked(backend, c);
        // The scale of a comparison is that of its whole group (all gradients, all weights…): a
        // tensor whose true value is 0 (a bias in front of batch norm) holds only rounding noise.
        const scales = new Map<string, number>();
        for (const [name, ref] of want) {
          const group = groupOf(name);
          for (const v of ref) if (Number.isFinite(v)) scales.set(group, Math.max(scales.get(group) ?? 0, Math.abs(v)));
        }
        for (const [name, ref] of want) {
          const mine = got.get(name);
          expect(mine !== undefined && mine.length === ref.length, () => `${backend} did not compute ${name}`);
          const scale = scales.get(groupOf(name)) ?? 0;
          for (let i = 0; i < ref.length; i++) {
            const allowed = bt.agreement.atol * scale + bt.agreement.rtol * Math.abs(ref[i]);
            const ok = isClose(mine[i], ref[i], { rtol: bt.agreement.rtol, atol: bt.agreement.atol * scale });
            expect(ok, () => `${name}[${i}]: ${backend} ${fmt(mine[i])}, cpu ${fmt(ref[i])} (|diff| ${fmt(Math.abs(mine[i] - ref[i]))} > ${fmt(allowed)})`);
          }
        }
      }),
  });
}
