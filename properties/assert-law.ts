/**
 * A law as an assertion inside any test runner (uvu, `Deno.test`, `bun:test`, `node:test`,
 * Vitest…): `await assertLaw(law)` runs the law's fast-check property on a backend and
 * resolves when it holds; when it fails it rejects with a `LawViolation` whose message holds
 * the shrunk counterexample, what was violated, the tolerance the law used and how to replay
 * exactly that input (the seed and fast-check path). Runners only need a rejected promise.
 */
import process from "node:process";
import * as tf from "@tensorflow/tfjs-core";
import { BACKEND_NAMES, type BackendName, isBackendName } from "../src/backend/mod.ts";
import { checkSeed, freshSeed } from "../src/core/mod.ts";
import { checkLaw } from "./harness.ts";
import type { Law } from "./law.ts";
import type { PropertyResult } from "./report-schema.ts";

/**
 * Options of `assertLaw`.
 *
 * @example
 * await assertLaw(law, { backend: "wasm", seed: 42, runs: 100 });
 */
export interface AssertLawOptions {
  /** the backend to check on (default: tfjs's active backend when gradlab knows it, else cpu) */
  backend?: BackendName;
  /** the seed of the generated inputs (default: GRADLAB_SEED, else a fresh one, printed on failure) */
  seed?: number;
  /** how many generated inputs (default: the law's CI run count) */
  runs?: number;
  /** the fast-check path of a counterexample to replay, with its seed */
  path?: string;
}

/**
 * The error `assertLaw` throws: its message says everything needed to understand and replay
 * the failure; `result` is the same as data (the property report's entry).
 *
 * @example
 * try { await assertLaw(law); } catch (e) { if (e instanceof LawViolation) console.log(e.result.counterexample?.path); }
 */
export class LawViolation extends Error {
  constructor(readonly result: PropertyResult) {
    super(violationMessage(result));
    this.name = "LawViolation";
  }
}

/** The seed for a check: given, else GRADLAB_SEED, else fresh (the failure message prints it). */
function seedFor(given: number | undefined): number {
  if (given !== undefined) return checkSeed(given, "assertLaw: seed");
  const fromEnv = process.env.GRADLAB_SEED;
  if (fromEnv !== undefined && fromEnv !== "") return checkSeed(Number(fromEnv), "GRADLAB_SEED");
  return freshSeed();
}

/** The backend tfjs has active, when gradlab knows it (tfjs-node registers "tensorflow"); else cpu. */
function activeOrCpu(): BackendName {
  const name = tf.getBackend();
  return typeof name === "string" && isBackendName(name) ? name : "cpu";
}

/**
 * Checks a law and resolves when it holds; rejects with a `LawViolation` (the shrunk
 * counterexample, the violated condition, the tolerance used, the seed and path that replay
 * it) when it does not. The law's own run count applies unless `runs` is given; the backend
 * is switched through gradlab's `useBackend` (with its self-check) and stays active.
 *
 * @example
 * import { assertLaw, sigmoidDerivative } from "@gradlab/gradlab";
 * const mySigmoid = (z: tf.Tensor) => tf.div(1, tf.add(1, tf.exp(tf.neg(z))));
 * test("my sigmoid", () => assertLaw(sigmoidDerivative((_spec, z) => mySigmoid(z)), { backend: "cpu" }));
 */
export async function assertLaw(law: Law, options: AssertLawOptions = {}): Promise<void> {
  const backend = options.backend ?? activeOrCpu();
  if (!isBackendName(backend)) throw new Error(`assertLaw: backend: expected one of ${BACKEND_NAMES.join(", ")}, got ${JSON.stringify(backend)}`);
  const seed = seedFor(options.seed);
  const runs = options.runs ?? law.runs;
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`assertLaw: runs: expected a positive integer, got ${runs}`);
  const result = await checkLaw(law, backend, {
    seed,
    runs,
    ...(options.path === undefined ? {} : { path: options.path }),
    replay: (_law, b, s, path) => `assertLaw(law, { backend: "${b}", seed: ${s}, path: "${path}" })`,
  });
  if (result.status !== "passed") throw new LawViolation(result);
}

/**
 * The failure in words: the law, the counterexample and its error, the tolerance, the replay.
 *
 * @example
 * violationMessage(result); // "law sigmoid-derivative failed on cpu (seed 42) …"
 */
export function violationMessage(r: PropertyResult): string {
  const lines = [`law ${r.property} failed on ${r.backend} (seed ${r.seed}, ${r.runs} of ${r.runsRequested} inputs run)`, `  the law: ${r.law}`];
  const c = r.counterexample;
  if (c) {
    lines.push(`  counterexample (shrunk ${c.shrinks} times): ${c.value}`, `  what failed: ${c.error}`);
  } else if (r.error !== null) {
    lines.push(`  what failed: ${r.error}`);
  }
  const values = Object.entries(r.tolerance.values).map(([k, v]) => `${k} = ${v}`).join(", ");
  lines.push(`  tolerance: ${r.tolerance.rule}${values ? ` (${values})` : ""}`);
  if (c) lines.push(`  replay: ${c.replay}`);
  return lines.join("\n");
}
