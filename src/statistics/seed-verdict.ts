/**
 * A claim judged over seeds. Folklore ("ReLU trains faster than sigmoid") is a statement
 * about what happens on a typical run, not on one draw: gradlab reads it as "the claim holds
 * on most seeds", i.e. the probability p that it holds on a seed drawn at random exceeds ½,
 * and judges that from k holds in n seeds with a 95% Clopper–Pearson interval for p:
 *
 * - supported: the interval lies above ½ (lower bound > ½);
 * - refuted: the interval lies below ½ (upper bound < ½);
 * - inconclusive: the interval contains ½ — too few seeds, or a claim that holds about half
 *   the time, which is itself worth knowing.
 *
 * Clopper–Pearson because its coverage never falls below 95% (binomial-interval.ts), so a
 * verdict is not an artefact of the interval at small n. With it, n ≥ 6 seeds are needed
 * before any verdict but "inconclusive" is possible (6 of 6 gives a lower bound 0.541;
 * 5 of 5 only 0.478), and n ≥ 6 likewise for "refuted".
 */
import { clopperPearson, type ProportionInterval } from "./binomial-interval.ts";
import { fiveNumbers, type FiveNumbers } from "./quartiles.ts";

export type SeedVerdict = "supported" | "refuted" | "inconclusive";

/** The rule, stated once: printed with every judgement and stored with it. */
export const SEED_VERDICT_RULE = {
  level: 0.95,
  method: "clopper-pearson",
  /** the proportion of seeds the claim is said to exceed */
  proportion: 0.5,
  text: "supported when the 95% Clopper–Pearson interval of the hold rate lies above 1/2, " +
    "refuted when it lies below 1/2, inconclusive otherwise",
} as const;

/**
 * One seed's outcome of a claim.
 *
 * @example
 * const outcome: SeedOutcome = { seed: 1, held: true, margin: 0.04 };
 */
export interface SeedOutcome {
  seed: number;
  held: boolean;
  /** signed margin (negative: failed by that much; −∞: the measurement was not finite) */
  margin: number;
}

/**
 * A claim over seeds: how often it held, its interval, the margins, and the verdict.
 *
 * @example
 * const j: SeedJudgement = judgeOverSeeds(outcomes); console.log(j.verdict);
 */
export interface SeedJudgement {
  held: number;
  seeds: number;
  rate: number;
  interval: ProportionInterval;
  margins: FiveNumbers;
  verdict: SeedVerdict;
}

/**
 * The verdict for k holds in n seeds under SEED_VERDICT_RULE.
 *
 * @example
 * verdictOf(8, 8); // "supported"
 * verdictOf(6, 8); // "inconclusive"
 */
export function verdictOf(held: number, seeds: number): SeedVerdict {
  const { lower, upper } = clopperPearson(held, seeds, SEED_VERDICT_RULE.level);
  if (lower > SEED_VERDICT_RULE.proportion) return "supported";
  if (upper < SEED_VERDICT_RULE.proportion) return "refuted";
  return "inconclusive";
}

/**
 * Judges one claim from its outcomes on every seed.
 *
 * @example
 * judgeOverSeeds([{ seed: 1, held: true, margin: 0.04 }, …]).verdict;
 */
export function judgeOverSeeds(outcomes: readonly SeedOutcome[]): SeedJudgement {
  if (outcomes.length === 0) throw new RangeError("a claim judged over no seeds");
  const seeds = new Set(outcomes.map((o) => o.seed));
  if (seeds.size !== outcomes.length) throw new RangeError("a claim judged over seeds that repeat: each seed counts once");
  const held = outcomes.filter((o) => o.held).length;
  return {
    held,
    seeds: outcomes.length,
    rate: held / outcomes.length,
    interval: clopperPearson(held, outcomes.length, SEED_VERDICT_RULE.level),
    margins: fiveNumbers(outcomes.map((o) => o.margin)),
    verdict: verdictOf(held, outcomes.length),
  };
}

/**
 * The fewest seeds for which `verdict` can be reached at all under the rule.
 *
 * @example
 * fewestSeedsFor("supported"); // 6
 */
export function fewestSeedsFor(verdict: Exclude<SeedVerdict, "inconclusive">): number {
  for (let n = 1; ; n++) if (verdictOf(verdict === "supported" ? n : 0, n) === verdict) return n;
}
