/**
 * Claims judged over many seeds: seed plans, running an experiment once per seed, the
 * result and shard files (schema-checked JSON), shards from flags or array-job variables,
 * merging, and the claims as text and as JUnit XML.
 */
export { checkSeedsFixture, readCheckedSeedsFixture, sampleSeeds, seedsFixturePath, type SeedsVerifyOutcome, verifySeedsFixture } from "./fixture.ts";
export { formatRule, formatSeedLine, formatSeedsResult } from "./format.ts";
export { checkSameClaims, claimDefinitionsOf, judgeClaims, seedRule, seedsResultOf, seedsText, seedSummaryOf } from "./judge.ts";
export { claimsJUnit, seedsJUnit } from "./junit.ts";
export { mergeShards, readSeedsResult, readShard, seedsShardOf, type ShardFile } from "./merge.ts";
export { type RunSeedsOptions, runSeeds, seedConcurrency, type SeedsRun } from "./run-seeds.ts";
export { MAX_SEEDS, type SeedPlan, seedPlan } from "./seed-plan.ts";
export {
  type ClaimDefinition,
  type JudgedClaim,
  SEEDS_FORMAT,
  type SeedsIdentity,
  type SeedsProvenance,
  type SeedsResult,
  seedsResultProblems,
  seedsResultSchema,
  type SeedsShard,
  seedsShardProblems,
  seedsShardSchema,
  SHARD_FORMAT,
  type SeedSummary,
} from "./seeds-schema.ts";
export { parseShard, type Shard, shardOf, shardRange, shardSeeds } from "./shard.ts";
