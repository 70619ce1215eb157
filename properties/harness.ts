/**
 * Runs laws × backends from one seed and collects a property report. Each law is a
 * fast-check property; a failure is shrunk and reported with its path and the command
 * that replays it. Backends are switched only through src/backend's `useBackend`.
 */
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, BACKEND_NAMES, isBackendName, listBackends, runtimeInfo, useBackend } from "../src/backend/mod.ts";
import type { Law, LawContext } from "./law.ts";
import type { Counterexample, PropertyReport, PropertyResult } from "./report-schema.ts";
import { toleranceFor } from "./tolerance.ts";

export type Profile = "ci" | "thorough";

/** The thorough profile runs every law this many times more often than CI. */
export const THOROUGH_FACTOR = 10;

/**
 * Backends where every op is a dispatch and a readback from a device run fewer inputs:
 * WebGPU (a software adapter here) is ~50× slower per small op than cpu.
 */
export const RUN_FACTOR: Partial<Record<BackendName, number>> = { webgpu: 0.2 };

/**
 * Inputs per law on webgpu in the CI profile. A software adapter is ~50× slower per op than
 * cpu: at their webgpu counts (RUN_FACTOR) the laws took 26 s on llvmpipe, at 2
 * inputs each ~13 s, at 1 ~7 s (measured 2026-11-30 on the 2-core dev machine, shared with other jobs: docs/webgpu.md).
 */
export const WEBGPU_CI_RUNS = 2;

/**
 * How many inputs a law checks on a backend.
 *
 * @example
 * runsFor(law, "cpu", "thorough"); // law.runs × 10
 */
export function runsFor(law: Law, backend: BackendName, profile: Profile, override?: number): number {
  const base = override ?? law.runs * (profile === "thorough" ? THOROUGH_FACTOR : 1);
  return Math.max(1, Math.round(base * (override === undefined ? RUN_FACTOR[backend] ?? 1 : 1)));
}

/** Options of one check. */
export interface CheckOptions {
  seed: number;
  runs: number;
  /** fast-check path of a counterexample to replay */
  path?: string;
  /** shrink a failure (default true); the fault tests skip it, they only need the failure */
  shrink?: boolean;
  /** the replay command for a counterexample (default: `gradlab props …`) */
  replay?: (law: Law, backend: BackendName, seed: number, path: string) => string;
}

/**
 * `gradlab props`, as this runtime would run it: bin/gradlab.js runs Bun unless
 * GRADLAB_RUNTIME=deno says otherwise (and WebGPU, for one, exists only under Deno).
 *
 * @example
 * gradlabProps(); // "gradlab props" under Bun, "GRADLAB_RUNTIME=deno gradlab props" under Deno
 */
export function gradlabProps(): string {
  return `${runtimeInfo().runtime === "deno" ? "GRADLAB_RUNTIME=deno " : ""}gradlab props`;
}

/**
 * The command that replays one counterexample.
 *
 * @example
 * replayCommand(law, "wasm", 42, "3:1:0"); // "gradlab props --backend wasm --filter '^sigmoid-derivative$' --seed 42 --path '3:1:0'"
 */
export function replayCommand(law: Law, backend: BackendName, seed: number, path: string): string {
  return `${gradlabProps()} --backend ${backend} --filter '^${law.name}$' --seed ${seed} --path '${path}'`;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Checks one law on one backend (activating it) and returns its result.
 *
 * @example
 * const r = await checkLaw(sigmoidDerivative, "cpu", { seed: 7, runs: 50 });
 * if (r.status === "failed") console.log(r.counterexample?.replay);
 */
export async function checkLaw(law: Law, backend: BackendName, options: CheckOptions): Promise<PropertyResult> {
  await useBackend(backend);
  const ctx: LawContext = { backend, tolerance: toleranceFor(backend) };
  const base = {
    property: law.name,
    group: law.group,
    law: law.statement,
    backend,
    runsRequested: options.runs,
    seed: options.seed,
    tolerance: law.tolerance(ctx),
  };
  const start = performance.now();
  const tensorsBefore = tf.memory().numTensors;
  try {
    const details = await fc.check(law.property(ctx), {
      seed: options.seed,
      numRuns: options.runs,
      ...(options.path ? { path: options.path } : {}),
      endOnFailure: options.shrink === false,
    });
    const timeMs = performance.now() - start;
    const leaked = tf.memory().numTensors - tensorsBefore;
    let counterexample: Counterexample | null = null;
    let error: string | null = null;
    if (details.failed && details.counterexample !== null && details.counterexamplePath !== null) {
      const path = details.counterexamplePath;
      counterexample = {
        value: fc.stringify(details.counterexample),
        error: errorText(details.errorInstance),
        path,
        shrinks: details.numShrinks,
        replay: (options.replay ?? replayCommand)(law, backend, options.seed, path),
      };
    } else if (details.failed) {
      error = fc.defaultReportMessage(details) ?? "fast-check reported a failure without a counterexample";
    } else if (leaked > 0) {
      error = `the law left ${leaked} tfjs tensors undisposed`;
    }
    return {
      ...base,
      status: details.failed || leaked > 0 ? "failed" : "passed",
      runs: details.numRuns,
      skippedInputs: details.numSkips,
      timeMs,
      counterexample,
      error,
    };
  } catch (caught) {
    return {
      ...base,
      status: "failed",
      runs: 0,
      skippedInputs: 0,
      timeMs: performance.now() - start,
      counterexample: null,
      error: `the check could not run: ${errorText(caught)}`,
    };
  }
}

/** Options of a whole run. */
export interface RunOptions {
  laws: readonly Law[];
  /**
   * backends to check; "all" = every available one except a software (fallback) GPU adapter,
   * which — as everywhere in gradlab — runs only when named
   */
  backends: readonly BackendName[] | "all";
  profile: Profile;
  seed: number;
  /** replaces every law's run count */
  runs?: number;
  /** regular expression on law names */
  filter?: string;
  path?: string;
  /** the command that repeats the run, for the report (default built from the options) */
  command?: string;
  /** called before and after each law × backend, e.g. for a progress display */
  onStart?: (law: Law, backend: BackendName, index: number, total: number) => void;
  onResult?: (result: PropertyResult, index: number, total: number) => void;
}

/**
 * The laws a filter selects (a regular expression tested against each name).
 *
 * @example
 * selectLaws(LAWS, "^clip-").map((l) => l.name); // ["clip-by-global-norm", "clip-non-finite", …]
 */
export function selectLaws(laws: readonly Law[], filter?: string): Law[] {
  if (filter === undefined) return [...laws];
  const re = new RegExp(filter);
  return laws.filter((law) => re.test(law.name));
}

/**
 * Runs every selected law on every selected backend and returns the report. Restores the
 * backend that was active before.
 *
 * @example
 * const report = await runProperties({ laws: LAWS, backends: "all", profile: "ci", seed: 42 });
 */
export async function runProperties(options: RunOptions): Promise<PropertyReport> {
  const start = performance.now();
  const infos = await listBackends();
  const wanted = options.backends === "all" ? infos.filter((i) => i.available && !i.fallback).map((i) => i.name) : [...options.backends];
  for (const name of wanted) {
    const info = infos.find((i) => i.name === name);
    if (!info?.available) throw new Error(`backend ${name} is not available here: ${info?.reason ?? "unknown backend"}`);
  }
  const laws = selectLaws(options.laws, options.filter);
  if (laws.length === 0) throw new Error(`no law matches --filter ${options.filter}`);

  const previous = tf.getBackend();
  const results: PropertyResult[] = [];
  const total = laws.length * wanted.length;
  let index = 0;
  try {
    for (const backend of wanted) {
      for (const law of laws) {
        options.onStart?.(law, backend, index, total);
        const runs = runsFor(law, backend, options.profile, options.runs);
        const result = await checkLaw(law, backend, { seed: options.seed, runs, ...(options.path ? { path: options.path } : {}) });
        results.push(result);
        options.onResult?.(result, index, total);
        index++;
      }
    }
  } finally {
    const back = BACKEND_NAMES.find((n) => n === previous);
    if (back && isBackendName(back) && back !== tf.getBackend()) await useBackend(back);
  }

  const count = (s: PropertyResult["status"]) => results.filter((r) => r.status === s).length;
  const { runtime, runtimeVersion, platform, arch } = runtimeInfo();
  return {
    schemaVersion: 1,
    generatedAt: new Date().toISOString(),
    seed: options.seed,
    profile: options.profile,
    runs: options.runs ?? null,
    filter: options.filter ?? null,
    path: options.path ?? null,
    command: options.command ?? runCommand(options, wanted),
    runtime: { runtime, runtimeVersion, tfjsVersion: tf.version_core, platform, arch },
    backends: infos.map((i) => ({ name: i.name, checked: wanted.includes(i.name), device: i.device, reason: i.reason })),
    summary: { passed: count("passed"), failed: count("failed"), skipped: count("skipped"), total: results.length, timeMs: performance.now() - start },
    results,
  };
}

/** `gradlab props …` repeating a run. */
function runCommand(options: RunOptions, backends: BackendName[]): string {
  const parts = [gradlabProps()];
  if (options.backends !== "all") parts.push(`--backend ${backends.join(",")}`);
  parts.push(`--profile ${options.profile}`, `--seed ${options.seed}`);
  if (options.runs !== undefined) parts.push(`--runs ${options.runs}`);
  if (options.filter !== undefined) parts.push(`--filter '${options.filter}'`);
  if (options.path !== undefined) parts.push(`--path '${options.path}'`);
  return parts.join(" ");
}
