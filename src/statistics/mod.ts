/**
 * Statistics for claims judged over seeds: intervals for a hold rate (Clopper–Pearson,
 * Wilson), five-number summaries of margins, and the one verdict rule.
 */
export { clopperPearson, type IntervalMethod, proportionInterval, type ProportionInterval, wilson } from "./binomial-interval.ts";
export { fiveNumbers, type FiveNumbers, quantileSorted } from "./quartiles.ts";
export { fewestSeedsFor, judgeOverSeeds, SEED_VERDICT_RULE, type SeedJudgement, type SeedOutcome, type SeedVerdict, verdictOf } from "./seed-verdict.ts";
