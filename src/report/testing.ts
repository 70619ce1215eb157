/**
 * Small synthetic results for the report's tests: schema-valid, made from formulas in
 * microseconds, never by training. The numbers look like E1's (sigmoid gradients shrinking
 * toward layer 1, ReLU learning faster) so the figures have something to show.
 */
import { experimentNamed, type FashionSigmoidVsReluResult } from "../experiments/mod.ts";
import { type Fixture, toFixture } from "../golden/mod.ts";
import type { PropertyReport } from "../../properties/mod.ts";

const fashionSigmoidVsRelu = experimentNamed("fashion-sigmoid-vs-relu");

const EPOCHS = 3;
const PER_EPOCH = 8;
const EVERY = 2;
const SHAPES = [[784, 30], [30], [30, 30], [30], [30, 30], [30], [30, 30], [30], [30, 10], [10]];
const NAMES = [1, 2, 3, 4, 5].flatMap((i) => [`dense${i}/kernel`, `dense${i}/bias`]);

/**
 * An E1 result (quick profile) with 3 epochs × 8 iterations and gradients every 2.
 *
 * @example
 * const result = syntheticE1Result();
 * e1AccuracyFigure(result);
 */
export function syntheticE1Result(): FashionSigmoidVsReluResult {
  const config = fashionSigmoidVsRelu.config("quick", 0);
  const run = (name: "sigmoid" | "relu") => {
    const fast = name === "relu";
    // mean |∂L/∂W| per parameter: sigmoid shrinks ×4 per layer toward the input, relu ×1.3
    const scale = (p: number) => (fast ? 0.01 : 0.008) / (fast ? 1.3 : 4) ** (4 - Math.floor(p / 2));
    const steps = Array.from({ length: (EPOCHS * PER_EPOCH) / EVERY }, (_, k) => {
      const iteration = k * EVERY;
      const wobble = 1 + 0.2 * Math.sin(iteration + (fast ? 1 : 0));
      const meanAbs = NAMES.map((_, p) => scale(p) * wobble);
      return { iteration, epoch: Math.floor(iteration / PER_EPOCH) + 1, loss: 2.3 - iteration * (fast ? 0.05 : 0.005), meanAbs, l2: meanAbs.map((m) => m * 10), globalNorm: 0.5 };
    });
    const epochs = Array.from({ length: EPOCHS }, (_, e) => {
      const acc = fast ? 0.55 + 0.12 * e : 0.1 + 0.08 * e;
      return { epoch: e + 1, lossSum: 18 - 2 * e, lossMean: 2.25 - 0.25 * e, trainAccuracy: acc, testAccuracy: acc + 0.02, testLoss: 2 - 0.2 * e };
    });
    return {
      name,
      result: {
        engine: "fast-dense" as const,
        parameterNames: NAMES,
        parameterShapes: SHAPES,
        iterations: EPOCHS * PER_EPOCH,
        iterationsPerEpoch: PER_EPOCH,
        epochs,
        steps,
        snapshots: [],
      },
    };
  };
  const runs = [run("sigmoid"), run("relu")];
  return {
    experiment: "fashion-sigmoid-vs-relu",
    profile: "quick",
    config,
    data: {
      source: { name: "synthetic", location: "generated", sha256: "0".repeat(64), description: "numbers from formulas, for the report's tests" },
      full: false,
      trainRows: PER_EPOCH * 256,
      testRows: 1000,
      features: 784,
      preprocessing: "none",
    },
    environment: { backend: "cpu", device: "JavaScript, main thread", runtime: "bun", runtimeVersion: "1.4.5", tfjsVersion: "4.22.0", platform: "linux", arch: "x64", seed: 0 },
    series: { runs },
    // Summary and claims as the code makes them from the series: the report rechecks them.
    summary: fashionSigmoidVsRelu.summarize(config, { runs }),
    claims: fashionSigmoidVsRelu.claims(config, { runs }),
  };
}

/**
 * The synthetic E1 result as a fixture file's content (with provenance and tolerance).
 *
 * @example
 * writeFileSync(join(dir, "fashion-sigmoid-vs-relu", "quick.json"), JSON.stringify(syntheticE1Fixture()));
 */
export function syntheticE1Fixture(): Fixture<FashionSigmoidVsReluResult> {
  return toFixture(syntheticE1Result(), {
    command: "synthetic (src/report/testing.ts)",
    commit: "none",
    dirty: false,
    generatedAt: "2020-01-01T00:00:00.000Z",
    elapsedSeconds: 0,
  });
}

/**
 * A property report as `gradlab props` writes it: two laws on cpu and wasm, one failure
 * with its counterexample and replay command.
 *
 * @example
 * writeFileSync("props.json", JSON.stringify(syntheticPropertyReport()));
 */
export function syntheticPropertyReport(): PropertyReport {
  const tolerance = { rule: "|a − b| ≤ rtol·|b| + atol", values: { rtol: 1e-6, atol: 1e-7 } };
  const result = (property: string, backend: "cpu" | "wasm", failed = false): PropertyReport["results"][number] => ({
    property,
    group: property.startsWith("sigmoid") ? "activations" : "clipping",
    law: property.startsWith("sigmoid") ? "σ'(x) lies in [0, 1/4] and equals 1/4 at 0" : "clipping by global norm keeps the norm ≤ c",
    backend,
    status: failed ? "failed" : "passed",
    runs: 40,
    runsRequested: 40,
    skippedInputs: 0,
    seed: 7,
    timeMs: 12,
    tolerance,
    counterexample: failed
      ? { value: "[3.5]", error: "σ'(3.5) = 0.3 > 0.25", path: "3:0", shrinks: 2, replay: `gradlab props --backend ${backend} --filter '^${property}$' --seed 7 --path '3:0'` }
      : null,
    error: null,
  });
  const results = [
    result("sigmoid-derivative", "cpu"),
    result("clip-by-global-norm", "cpu"),
    result("sigmoid-derivative", "wasm", true),
    result("clip-by-global-norm", "wasm"),
  ];
  return {
    schemaVersion: 1,
    generatedAt: "2020-01-01T00:00:00.000Z",
    seed: 7,
    profile: "ci",
    runs: null,
    filter: null,
    path: null,
    command: "gradlab props --profile ci --seed 7",
    runtime: { runtime: "bun", runtimeVersion: "1.4.5", tfjsVersion: "4.22.0", platform: "linux", arch: "x64" },
    backends: [
      { name: "cpu", checked: true, device: "JavaScript, main thread", reason: "always available" },
      { name: "wasm", checked: true, device: "WebAssembly SIMD", reason: "available" },
      { name: "webgpu", checked: false, device: "", reason: "no navigator.gpu here" },
      { name: "tensorflow", checked: false, device: "", reason: "not installed" },
      { name: "tensorflow-gpu", checked: false, device: "", reason: "not installed" },
    ],
    summary: { passed: 3, failed: 1, skipped: 0, total: 4, timeMs: 48 },
    results,
  };
}

/**
 * How many drawn marks (paths with geometry, lines) an SVG from Vega holds, outside axes,
 * legends and titles.
 *
 * @example
 * countMarks(figure.svg); // 42
 */
export function countMarks(svg: string): number {
  let n = 0;
  for (const m of svg.matchAll(/<g class="mark-[a-z]+ role-mark[^"]*"[^>]*>(.*?)<\/g>/g)) {
    n += (m[1]!.match(/<path [^>]*\bd="M|<line /g) ?? []).length;
  }
  return n;
}
