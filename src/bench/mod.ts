/**
 * `gradlab bench`: ms per training step of the E1, E3 and E4 nets on the active backend, the
 * naive formulation in the same run, effective GFLOP/s, and (when asked) the full E1 wall time
 * and peak memory. Speed targets are checked here, never in unit tests.
 */
import process from "node:process";
import { availableCores, type Backend, environment, type EnvironmentRecord } from "../backend/mod.ts";
import { defaultWorkers } from "../parallel/mod.ts";
import { experimentNamed, runExperiment } from "../experiments/mod.ts";
import { MIN_WARMUP_MS, type StepKind, type Timing, timeSteps } from "./time-steps.ts";
import { benchWorkloads, stepFlops } from "./workloads.ts";

export { benchWorkloads, stepFlops } from "./workloads.ts";
export { summarize, SYNTHETIC_BATCHES, timeSteps, type Timing } from "./time-steps.ts";
export { benchPopulation, formatPopulationBench, type PopulationBenchReport, type PopulationRun } from "./population.ts";

export interface WorkloadReport {
  name: string;
  batchSize: number;
  engine: string;
  /** what computed the step's matrix products: "tfjs ops" or "gemm kernel" (gradlab's, kernels/gemm.ts) */
  products: string;
  /** threads the step used: 2 = the fast engine with its helper thread */
  threads: number;
  /** the step `train` runs, gradient recording off */
  step: Timing;
  /** the same step on one thread, when `step` used two */
  oneThread?: Timing;
  /** the same with gradient statistics every 100 steps (E1's recording), when measured */
  recording?: Timing;
  /**
   * What the recording adds to a step on average: the time its statistics took during the
   * measured steps over their number. Measured inside one run, so the VM's drift between the
   * `step` and `recording` runs does not enter it.
   */
  recordingPerStepMs?: number;
  naive: Timing;
  /** naive median / step median */
  speedup: number;
  /** stepFlops / step median */
  gflops: number;
}

export interface FullE1Report {
  seconds: number;
  iterations: number;
  /** the whole process: main thread and training workers */
  peakRssBytes: number;
  workers: number;
  finalTestAccuracy: Record<string, number>;
}

export interface BenchReport {
  environment: EnvironmentRecord;
  steps: number;
  warmup: number;
  workloads: WorkloadReport[];
  fullE1?: FullE1Report;
}

export interface BenchOptions {
  /** the backend to time, as the edge chose it */
  backend: Backend;
  steps: number;
  warmup: number;
  seed: number;
  /** a regex on workload names */
  only?: string;
  fullE1?: boolean;
  dataDir?: string;
  /** threads per step, at most 2 (default: 2 where the machine has a spare core) */
  threads?: number;
  log?: (line: string) => void;
}

/**
 * @example
 * await useBackend("wasm");
 * const report = await runBench({ backend: chosenBackend(), steps: 200, warmup: 20, seed: 1 });
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const only = options.only ? new RegExp(options.only) : null;
  const workloads: WorkloadReport[] = [];
  for (const w of benchWorkloads().filter((w) => !only || only.test(w.name))) {
    const wanted = options.threads ?? Math.min(2, availableCores());
    const time = (kind: StepKind, recordEvery?: number, threads = wanted) =>
      timeSteps(w, kind, { backend: options.backend, steps: options.steps, warmup: options.warmup, seed: options.seed, recordEvery, threads });
    log(`${w.name}: timing ${options.steps} steps…`);
    // One thread first: whichever runs first also pays for the JIT's late tiers.
    const single = wanted > 1 ? await time("engine", undefined, 1) : undefined;
    const step = await time("engine");
    const oneThread = step.threads > 1 ? single : undefined;
    const recording = w.name.startsWith("E1") ? await time("engine", 100) : undefined;
    const naive = await time("naive");
    const flops = stepFlops(w.model, w.train.batchSize);
    const r: WorkloadReport = {
      name: w.name,
      batchSize: w.train.batchSize,
      engine: step.engine,
      products: step.products,
      threads: step.threads,
      step,
      naive,
      speedup: naive.medianMs / step.medianMs,
      gflops: flops / (step.medianMs * 1e6),
    };
    if (recording) {
      r.recording = recording;
      r.recordingPerStepMs = (recording.statsMs ?? 0) / recording.steps;
    }
    if (oneThread) r.oneThread = oneThread;
    workloads.push(r);
  }
  const report: BenchReport = { environment: environment(), steps: options.steps, warmup: options.warmup, workloads };
  if (options.fullE1) report.fullE1 = await fullE1(options, log);
  return report;
}

/**
 * The full E1 experiment as `gradlab run` runs it (its two models in parallel workers on
 * cpu/wasm), timed, with the process's peak RSS sampled as it goes. That tensors and the wasm
 * heap stay constant from epoch to epoch is checked by src/core/memory.test.ts.
 */
async function fullE1(options: BenchOptions, log: (line: string) => void): Promise<FullE1Report> {
  const e1 = experimentNamed("fashion-sigmoid-vs-relu");
  let peak = process.memoryUsage.rss();
  const workers = Math.min(2, options.backend.hostMemory ? defaultWorkers() : 1);
  log(`full E1: 2 runs × 20 epochs on the full Fashion-MNIST, ${workers} at a time…`);
  const started = performance.now();
  const result = await runExperiment(e1, "full", {
    seed: options.seed,
    dataDir: options.dataDir,
    env: process.env,
    runsOn: options.backend,
    workers,
    onProgress: (p) => {
      if (p.done % 50 === 0) peak = Math.max(peak, process.memoryUsage.rss());
    },
  });
  const seconds = (performance.now() - started) / 1000;
  peak = Math.max(peak, process.memoryUsage.rss());
  const finalTestAccuracy: Record<string, number> = {};
  for (const s of (result.summary as { runs: { name: string; finalTestAccuracy?: number }[] }).runs) {
    if (s.finalTestAccuracy !== undefined) finalTestAccuracy[s.name] = s.finalTestAccuracy;
  }
  const iterations = (result.series as { runs: { result: { iterations: number } }[] }).runs.reduce((a, r) => a + r.result.iterations, 0);
  return { seconds, iterations, peakRssBytes: peak, workers, finalTestAccuracy };
}

const COL = 26;

function ms(t: Timing): string {
  return `${t.minMs.toFixed(2)} / ${t.medianMs.toFixed(2)} / ${t.maxMs.toFixed(2)}`;
}

/**
 * The report as a table for people.
 *
 * @example
 * console.log(formatBench(report));
 */
export function formatBench(r: BenchReport): string {
  const e = r.environment;
  const lines = [
    `backend ${e.backend} (${e.device}); ${e.runtime} ${e.runtimeVersion}; tfjs ${e.tfjsVersion}; ${e.platform} ${e.arch}; tfjs-wasm threads ${e.threads ?? 1} (thr below: threads per step, with gradlab's helper)`,
    `${r.steps} measured steps after ≥ ${r.warmup} warm-up steps and ≥ ${MIN_WARMUP_MS / 1000} s of them; times in ms (min / median / max)`,
    "",
    `${"workload".padEnd(16)}${"batch".padStart(6)}  ${"engine".padEnd(11)}${"products".padEnd(12)}${"thr".padStart(3)}  ${"step".padEnd(COL)}${"step+recording".padEnd(COL)}${"step, 1 thread".padEnd(COL)}${"naive".padEnd(COL)}${"speed-up".padStart(9)}${"GFLOP/s".padStart(9)}`,
  ];
  const cell = (t: Timing | undefined) => ((t ? ms(t) : "-") + " ").padEnd(COL);
  for (const w of r.workloads) {
    lines.push(
      `${w.name.padEnd(16)}${String(w.batchSize).padStart(6)}  ${w.engine.padEnd(11)}${w.products.padEnd(12)}${String(w.threads).padStart(3)}  ${cell(w.step)}${cell(w.recording)}${cell(w.oneThread)}${cell(w.naive)}${(w.speedup.toFixed(1) + "×").padStart(9)}${w.gflops.toFixed(2).padStart(9)}`,
    );
  }
  if (r.workloads.some((w) => w.recordingPerStepMs !== undefined)) lines.push("");
  for (const w of r.workloads) {
    if (w.recordingPerStepMs === undefined) continue;
    const share = (100 * w.recordingPerStepMs) / w.step.medianMs;
    lines.push(`${w.name}: gradient recording every 100 steps adds ${(1000 * w.recordingPerStepMs).toFixed(1)} µs a step on average (${share.toFixed(1)}% of the step median; its statistics' own time, measured in the recording run)`);
  }
  if (r.fullE1) {
    const f = r.fullE1;
    lines.push(
      "",
      `full E1: ${f.iterations} iterations (2 models × 20 epochs, test evaluation each epoch, data loading included), ` +
        `${f.workers} model(s) at a time: ${f.seconds.toFixed(1)} s wall; peak RSS ${(f.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
      `  final test accuracy: ${Object.entries(f.finalTestAccuracy).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(", ")}`,
    );
  }
  return lines.join("\n");
}
