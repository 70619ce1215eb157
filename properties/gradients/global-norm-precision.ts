/**
 * Law (issue 11, item 6): the global gradient norm G = √(Σ_i ‖∂L/∂θ_i‖²) that training records
 * is the float64 norm of the same float32 gradients to within globalNormRtol(N) (≤ 6.9e-7 up to
 * 10⁶ elements), on every engine the active backend runs and for gradients of any magnitude
 * (their squares may lie far outside float32: 2^±80 and beyond).
 */
import * as fc from "fast-check";
import { chosenBackend } from "../../src/backend/mod.ts";
import {
  createModel, type Dataset, denseStack, disposeModel, fastDenseUnsupported, type HostBatch, type Model, type PreparedEngine, prepareEngine, Rng,
  type TrainConfig,
} from "../../src/core/mod.ts";
import { seed32 } from "../_internals/arbitraries.ts";
import { fmt } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { defineLaw, type Law } from "../law.ts";
import { globalNormRtol } from "../tolerance.ts";

/** An engine as training builds it, by name. */
export interface EngineUnderTest {
  name: string;
  /** null when it runs here, else why not */
  unsupported(): string | null;
  /** the engine for `model`, prepared as training prepares it for `train` */
  prepare(model: Model, config: TrainConfig, train: Dataset): Promise<PreparedEngine>;
}

/** The core's engines: autodiff everywhere, fast-dense where the backend keeps tensors on the host. */
export const CORE_ENGINES: readonly EngineUnderTest[] = [
  { name: "autodiff", unsupported: () => null, prepare: (model, config, train) => prepareEngine(model, config, train, { backend: chosenBackend(), engine: "autodiff" }) },
  {
    name: "fast-dense",
    unsupported: () => fastDenseUnsupported(chosenBackend()),
    prepare: (model, config, train) => prepareEngine(model, config, train, { backend: chosenBackend(), engine: "fast-dense" }),
  },
];

const CONFIG: TrainConfig = {
  loss: "mse", optimizer: { name: "sgd", learningRate: 0.1 }, batchSize: 4, epochs: 1, shuffle: false,
  clipping: { name: "none" }, seed: 0, record: { every: 1 },
};

/** a×b first-layer kernels from a few elements to 10⁶ (the issue's largest tensor), rows, outputs, the inputs' binary exponent. */
const cases = fc.record({
  size: fc.oneof(
    { arbitrary: fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 })), weight: 2 },
    { arbitrary: fc.tuple(fc.integer({ min: 200, max: 1000 }), fc.integer({ min: 200, max: 1000 })), weight: 1 },
    { arbitrary: fc.constant([1000, 1000] as [number, number]), weight: 1 },
  ),
  rows: fc.integer({ min: 1, max: 4 }),
  outputs: fc.integer({ min: 1, max: 3 }),
  exponent: fc.integer({ min: -60, max: 40 }),
  seed: seed32(),
});

/**
 * The law, for a list of engines (the core's unless a fault is planted).
 *
 * @example
 * const law = globalNormPrecision();
 */
export function globalNormPrecision(engines: readonly EngineUnderTest[] = CORE_ENGINES): Law {
  return defineLaw({
    name: "global-norm-precision",
    group: "gradients",
    statement: "The global gradient norm G that training records equals the float64 norm of the same float32 gradients " +
      "within (⌈log₂N⌉ + 3)·u/2 (≤ 6.9e-7 for N ≤ 10⁶ elements), on every engine, for gradients of any magnitude.",
    runs: 8,
    tolerance: () => ({
      rule: "|G − G₆₄| ≤ globalNormRtol(N)·G₆₄: pairwise float32 sums of (g/max|g|)², the last step in float64",
      values: { rtolAt1e6: globalNormRtol(1e6), rtolAt1e3: globalNormRtol(1e3) },
    }),
    property: () =>
      fc.asyncProperty(cases, async ({ size: [inputs, units], rows, outputs, exponent, seed }) => {
        const rng = new Rng(seed);
        // Linear: the inputs' scale reaches every gradient (a saturating activation would cut it off).
        const spec = denseStack(inputs, [units, outputs], { name: "linear" }, { name: "glorotUniform" });
        const model = createModel(spec, rng.fork("init"));
        const scale = 2 ** exponent;
        const batch: HostBatch = {
          x: Float32Array.from({ length: rows * inputs }, () => rng.normal() * scale),
          rows,
          targets: Float32Array.from({ length: rows * outputs }, () => rng.normal()),
          labels: null,
          targetWidth: outputs,
        };
        const train: Dataset = { x: batch.x, rows, features: inputs, y: { kind: "regression", values: batch.targets, outputs } };
        try {
          for (const e of engines) {
            if (e.unsupported() !== null) continue;
            const prepared = await e.prepare(model, CONFIG, train);
            const { engine } = prepared;
            try {
              await engine.compute(batch, { iteration: 0, epoch: 1, batch: 0 });
              const { globalNorm } = await engine.stats();
              const grads = await engine.gradientValues();
              let sum = 0, elements = 0;
              for (const g of grads) for (const v of g) (sum += v * v), elements++;
              const want = Math.sqrt(sum);
              const rtol = globalNormRtol(elements);
              const label = `${e.name}: ${inputs}×${units} kernel, ${rows} rows, x·2^${exponent}`;
              expect(Number.isFinite(want) && want > 0, () => `${label}: the float64 norm is ${fmt(want)}, not a positive number`);
              expect(Math.abs(globalNorm - want) <= rtol * want, () =>
                `${label}: G = ${fmt(globalNorm)}, float64 ${fmt(want)} (relative error ${fmt(Math.abs(globalNorm - want) / want)} > ${fmt(rtol)}, N = ${elements})`);
            } finally {
              prepared.dispose();
            }
          }
        } finally {
          disposeModel(model);
        }
      }),
  });
}
