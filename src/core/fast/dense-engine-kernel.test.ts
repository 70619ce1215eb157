/**
 * The gemm kernel and its helper thread change no bit on wasm: the fast engine with the kernel,
 * on one thread and on two, gives exactly the gradients and parameters of the fast engine
 * with tfjs's matMul (a property over random dense nets, every activation and product form),
 * `train` with 2 threads equals `train` with 1, nothing leaks, and a failing job surfaces as
 * an error.
 */
import * as tf from "@tensorflow/tfjs-core";
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Dataset } from "../dataset.ts";
import { createModel, disposeModel, readParameters } from "../model.ts";
import type { ModelSpec } from "../model-spec.ts";
import { Rng } from "../random.ts";
import { TEST_ACTIVATIONS, testNetSpec, testTargets } from "../testing.ts";
import type { TrainConfig } from "../train-config.ts";
import { train } from "../train.ts";
import { type BatchLayout, laidOutBatch, transposedBatches } from "./batch-layout.ts";
import { fastDenseEngine } from "./dense-engine.ts";
import { helperPacing } from "./kernel-pass.ts";
import { createKernelModule } from "./kernels/gemm.ts";
import { type GemmHelper, startGemmHelper } from "./kernels/gemm-helper.ts";
import { type Backend, chosenBackend, useBackend } from "../../backend/mod.ts";
import { restoreBackendAfter } from "../../backend/testing.ts";

let helper: GemmHelper;
let backend: Backend;

// The kernel reproduces tfjs-backend-wasm's matMul, so that is where bits are compared.
restoreBackendAfter(test);
test.before(async () => {
  await useBackend("wasm");
  backend = chosenBackend();
  helper = await startGemmHelper();
});

test.after(() => helper.dispose());


const netArb = fc.record({
  inputSize: fc.integer({ min: 2, max: 40 }),
  widths: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 0, maxLength: 3 }),
  outputs: fc.integer({ min: 1, max: 6 }),
  activation: fc.constantFrom(...TEST_ACTIVATIONS),
  useBias: fc.boolean(),
  batchNorm: fc.boolean(),
  loss: fc.constantFrom("softmaxCrossEntropy" as const, "mse" as const),
  batchSize: fc.integer({ min: 2, max: 33 }),
  batches: fc.integer({ min: 1, max: 3 }),
  optimizer: fc.constantFrom<TrainConfig["optimizer"]>(
    { name: "sgd", learningRate: 0.1 },
    { name: "adam", learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  ),
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
});
type Net = typeof netArb extends fc.Arbitrary<infer T> ? T : never;

function build(n: Net, allocate?: (length: number) => Float32Array): { spec: ModelSpec; ds: Dataset; layout: BatchLayout; config: TrainConfig } {
  const spec = testNetSpec(n, () => n.batchNorm);
  const rows = n.batchSize * n.batches;
  const rng = new Rng(n.seed).fork("data");
  const x = new Float32Array(rows * n.inputSize);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const y = testTargets(rng, rows, n.outputs, n.loss);
  const ds: Dataset = { x, rows, features: n.inputSize, y };
  const layout = transposedBatches(ds, n.batchSize, allocate);
  const config: TrainConfig = { loss: n.loss, optimizer: n.optimizer, batchSize: n.batchSize, epochs: 1, shuffle: false, clipping: { name: "none" }, seed: 1, record: { every: 0 } };
  return { spec, ds, layout, config };
}

/** "kernel": Xᵀ read in place from the kernel's memory; "kernel, 2 threads": copied in. */
type Products = "tfjs" | "kernel" | "kernel, 2 threads";

/** Gradients of every step and the parameters after the last, with the products computed as given. */
async function runEngine(n: Net, products: Products): Promise<{ gradients: number[][][]; params: Float32Array[] }> {
  const kernel = products === "kernel" ? createKernelModule() : null;
  const { spec, ds, layout, config } = build(n, kernel ? (length) => kernel.alloc(length) : undefined);
  const model = createModel(spec, new Rng(n.seed).fork("init"));
  const engine = fastDenseEngine(model, config, { backend, kernel: kernel ?? products !== "tfjs", helper: products === "kernel, 2 threads" ? helper : null });
  const gradients: number[][][] = [];
  try {
    for (let b = 0; b < n.batches; b++) {
      await engine.compute(laidOutBatch(ds, layout, null, b * n.batchSize, n.batchSize), { iteration: b, epoch: 1, batch: b });
      gradients.push(await engine.gradientValues());
      engine.update();
    }
    return { gradients, params: Object.values(await readParameters(model)) };
  } finally {
    engine.dispose();
    disposeModel(model);
  }
}

/** Where two nested arrays first differ in any bit (Object.is), or null. */
function firstDifference(a: ArrayLike<number>[], b: ArrayLike<number>[], what: string): string | null {
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < a[i].length; j++) {
      if (!Object.is(a[i][j], b[i][j])) return `${what} ${i}[${j}]: ${a[i][j]} against ${b[i][j]} with tfjs's products`;
    }
  }
  return null;
}

test("property: with the kernel, on one thread or two, gradients and updated parameters are bitwise those with tfjs's matMul", async () => {
  await fc.assert(
    fc.asyncProperty(netArb, async (n) => {
      const reference = await runEngine(n, "tfjs");
      for (const products of ["kernel", "kernel, 2 threads"] as const) {
        const got = await runEngine(n, products);
        for (let s = 0; s < n.batches; s++) {
          const d = firstDifference(got.gradients[s], reference.gradients[s], `${products}: step ${s} gradient`);
          if (d) throw new Error(d);
        }
        const d = firstDifference(got.params, reference.params, `${products}: parameter`);
        if (d) throw new Error(d);
      }
    }),
    { numRuns: Number(process.env.GRADLAB_FC_RUNS ?? 40), seed: Number(process.env.GRADLAB_FC_SEED ?? 20261125) },
  );
});

test("the comparison catches a planted fault: one parameter one ulp off", () => {
  const a = [new Float32Array([0.25, -1.5]), new Float32Array([3])];
  const b = a.map((v) => v.slice());
  assert.is(firstDifference(a, b, "parameter"), null);
  b[0][1] = Math.fround(-1.5 * (1 + 2 ** -23));
  assert.match(firstDifference(a, b, "parameter")!, /^parameter 0\[1\]/);
});

test("train with 2 threads equals train with 1, bit for bit", async () => {
  const n: Net = {
    inputSize: 64, widths: [16, 16], outputs: 4, activation: { name: "sigmoid" }, useBias: true, batchNorm: false,
    loss: "softmaxCrossEntropy", batchSize: 32, batches: 4, optimizer: { name: "adam", learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, seed: 5,
  };
  const { spec, ds, config } = build(n);
  const data = { train: ds, source: { name: "t", location: "generated", sha256: "", description: "" } };
  const cfg = { ...config, epochs: 2, record: { every: 1 } };
  const one = await train(spec, cfg, data, { backend, engine: "fast-dense", threads: 1 });
  const two = await train(spec, cfg, data, { backend, engine: "fast-dense", threads: 2 });
  assert.equal(two.steps, one.steps);
  assert.equal(two.epochs, one.epochs);
});

test("steps with the helper leave no tensors behind", async () => {
  const n: Net = {
    inputSize: 30, widths: [8], outputs: 3, activation: { name: "tanh" }, useBias: true, batchNorm: true,
    loss: "softmaxCrossEntropy", batchSize: 16, batches: 3, optimizer: { name: "sgd", learningRate: 0.1 }, seed: 2,
  };
  await runEngine(n, "kernel, 2 threads"); // warms up
  const before = tf.memory().numTensors;
  await runEngine(n, "kernel, 2 threads");
  assert.is(tf.memory().numTensors, before);
});

test("a failing job comes back as an error naming the helper and the operand", async () => {
  const kernel = createKernelModule();
  await helper.attach(kernel.memory);
  const end = kernel.memory.buffer.byteLength;
  helper.start({ a: end, lda: 2, transA: false, b: 64, ldb: 2, c: 64, ldc: 2, bias: 0, rows: 2, k: 2, n: 2 });
  assert.throws(() => helper.wait(), /gemm helper thread: gemm: operand a \(4 floats at byte \d+\) lies outside/);
});

test("pacing: the helper learns the cost alone, rests after three products in a row that gain nothing, then gets another chance", () => {
  const pacing = helperPacing();
  const macs = 1e6;
  // Warm-up: alternately split and alone, nothing counted but the cost alone (1 ms).
  for (let i = 0; i < 500; i++) {
    if (pacing.use()) pacing.record(0.3, 5, macs); // late answers during warm-up do not count
    else pacing.recordAlone(1, macs);
  }
  const split = (ms: number) => {
    assert.ok(pacing.use());
    pacing.record(ms / 2, ms / 2, macs);
  };
  split(0.6); // pays
  split(1.2); // slower than alone
  split(0.6); // the count starts over
  split(1.1);
  split(5); // late
  split(1.3); // third in a row: rest
  let rested = 0;
  while (!pacing.use()) rested++;
  assert.is(rested, 200);
  pacing.record(0.6, 0.6, macs); // one more that gains nothing after the rest, and it rests again
  assert.not.ok(pacing.use());
});

test.run();
