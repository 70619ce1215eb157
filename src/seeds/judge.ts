/**
 * From per-seed results to a multi-seed result: each seed reduced to its summary, and each
 * claim judged over all seeds (src/statistics). The one function that builds a result file's
 * object, so an unsharded run and a merge of shards write the same bytes.
 */
import type { ResultBase, RunSummary } from "../experiments/mod.ts";
import { fewestSeedsFor, judgeOverSeeds, SEED_VERDICT_RULE } from "../statistics/mod.ts";
import { type ClaimDefinition, type JudgedClaim, SEEDS_FORMAT, type SeedsIdentity, type SeedsProvenance, type SeedsResult, type SeedSummary } from "./seeds-schema.ts";

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The rule as stored with every judgement. */
export function seedRule(): SeedsIdentity["rule"] {
  const { level, method, proportion, text } = SEED_VERDICT_RULE;
  return { level, method, proportion, fewestSeeds: fewestSeedsFor("supported"), text };
}

/**
 * One seed's summary of its result: each claim's outcome, each run's final metrics.
 *
 * @example
 * const s = seedSummaryOf(await runExperiment(e1, "quick", { seed: 3 }));
 */
export function seedSummaryOf(result: ResultBase): SeedSummary {
  const out: SeedSummary = {
    seed: result.config.seed,
    claims: result.claims.map((c) => ({ id: c.id, measured: orNull(c.measured), threshold: c.threshold, held: c.held, margin: orNull(c.margin) })),
  };
  const runs = (result.summary as { runs?: RunSummary[] } | null)?.runs;
  if (Array.isArray(runs)) out.runs = runs;
  return out;
}

/** What the claims of a result are, without their outcome. */
export function claimDefinitionsOf(result: ResultBase): ClaimDefinition[] {
  return result.claims.map(({ id, statement, check, comparison }) => ({ id, statement, check, comparison }));
}

/**
 * Throws unless every seed checked the same claims, in the same order, as `definitions`.
 * `where` names the seed's origin (a file) for the message.
 */
export function checkSameClaims(definitions: ClaimDefinition[], summary: SeedSummary, where = ""): void {
  const want = definitions.map((d) => d.id).join(", "), got = summary.claims.map((c) => c.id).join(", ");
  if (want !== got) throw new Error(`${where}seed ${summary.seed} checked the claims [${got}], not [${want}]`);
}

/**
 * Each claim judged over the seeds, in the definitions' order.
 *
 * @example
 * judgeClaims(definitions, perSeed).map((c) => c.verdict);
 */
export function judgeClaims(definitions: ClaimDefinition[], perSeed: SeedSummary[]): JudgedClaim[] {
  return definitions.map((d, i) => {
    const outcomes = perSeed.map((s) => {
      const c = s.claims[i]!;
      if (c.id !== d.id) throw new Error(`seed ${s.seed}: claim ${i + 1} is ${c.id}, expected ${d.id}`);
      return { seed: s.seed, held: c.held, margin: c.margin ?? -Infinity };
    });
    const j = judgeOverSeeds(outcomes);
    const m = j.margins;
    return {
      ...d,
      held: j.held,
      seeds: j.seeds,
      rate: j.rate,
      interval: { lower: j.interval.lower, upper: j.interval.upper },
      margins: { min: orNull(m.min), q1: orNull(m.q1), median: orNull(m.median), q3: orNull(m.q3), max: orNull(m.max) },
      verdict: j.verdict,
    };
  });
}

/**
 * The result file's object, members in their written order; `provenance` last.
 *
 * @example
 * const text = seedsText(seedsResultOf(identity, definitions, perSeed, provenance));
 */
export function seedsResultOf(identity: SeedsIdentity, definitions: ClaimDefinition[], perSeed: SeedSummary[], provenance: SeedsProvenance): SeedsResult {
  const order = new Map(identity.seeds.map((s, i) => [s, i]));
  const sorted = [...perSeed].sort((a, b) => order.get(a.seed)! - order.get(b.seed)!);
  return {
    format: SEEDS_FORMAT,
    experiment: identity.experiment,
    profile: identity.profile,
    seeds: identity.seeds,
    rule: identity.rule,
    claims: judgeClaims(definitions, sorted),
    perSeed: sorted,
    config: identity.config,
    data: identity.data,
    backend: identity.backend,
    code: identity.code,
    provenance,
  };
}

/**
 * The file's text: JSON indented by one, arrays of numbers on one line, a trailing newline
 * (as fixtures are written).
 */
export { fixtureText as seedsText } from "../golden/mod.ts";
