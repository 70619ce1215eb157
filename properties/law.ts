/**
 * A law: one numeric property of the training core, stated in a sentence, checked by a
 * fast-check property on the active backend, with the tolerance it used.
 */
import type * as fc from "fast-check";
import type { BackendName } from "../src/backend/mod.ts";
import type { BackendTolerance } from "./tolerance.ts";

/** The families of laws, in the order the report lists them. */
export const LAW_GROUPS = ["activations", "depth", "initializers", "clipping", "batch-norm", "gradients", "engine", "backends"] as const;
export type LawGroup = (typeof LAW_GROUPS)[number];

/** What a law is checked on: the active backend and the tolerance that belongs to it. */
export interface LawContext {
  backend: BackendName;
  tolerance: BackendTolerance;
}

/** The tolerance a law used on one backend, as the report shows it. */
export interface ToleranceUsed {
  /** the rule in words, e.g. "|σ' − σ'₆₄| ≤ rtol·|σ'₆₄| + atol; bounds exact" */
  rule: string;
  /** the numbers in the rule */
  values: Record<string, number>;
}

/**
 * One law.
 *
 * @example
 * const law: Law = sigmoidDerivative(); console.log(law.statement);
 */
export interface Law {
  /** kebab-case, unique: "sigmoid-derivative" */
  name: string;
  group: LawGroup;
  /** the law in one sentence */
  statement: string;
  /** runs per backend in the CI profile (the thorough profile runs 10×) */
  runs: number;
  tolerance(ctx: LawContext): ToleranceUsed;
  /** The property; it throws (or resolves false) when the law is violated. */
  // deno-lint-ignore no-explicit-any
  property(ctx: LawContext): fc.IAsyncProperty<any>;
}

/**
 * Declares a law (an identity that gives the object its type).
 *
 * @example
 * export const law = defineLaw({ name: "x", group: "activations", statement: "…", runs: 20, tolerance, property });
 */
export function defineLaw(law: Law): Law {
  return law;
}
