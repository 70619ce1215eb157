/**
 * The JSON of a multi-seed run: a result file (`gradlab-seeds/1`: every seed, each claim
 * judged over them) and a shard file (`gradlab-seeds-shard/1`: one shard's seeds, judged
 * only when merged). Both keep per seed only a summary — each claim's measurement and margin
 * and the runs' final metrics — not the recorded series.
 *
 * Everything but `provenance` identifies the run and is byte-identical however the seeds were
 * split; `provenance` (always the last member) holds what differs from run to run: the
 * command, times, the runtime and host, and for a merge each shard's own.
 */
import type { FromSchema } from "json-schema-to-ts";
import { dataRecordSchema, PROFILES, runSummarySchema } from "../experiments/mod.ts";
import { schemaProblems } from "../golden/mod.ts";

export const SEEDS_FORMAT = "gradlab-seeds/1";
export const SHARD_FORMAT = "gradlab-seeds-shard/1";

/** A number that JSON cannot hold (−∞: a measurement that was not finite) is stored as null. */
const finiteOrNull = { type: ["number", "null"], description: "null: not finite (the measurement failed; the claim did not hold)" } as const;

const seedSummarySchema = {
  type: "object",
  description: "one seed: each claim's outcome and each run's final metrics",
  properties: {
    seed: { type: "integer", minimum: 0, maximum: 4294967295 },
    claims: {
      type: "array",
      items: {
        type: "object",
        properties: { id: { type: "string" }, measured: finiteOrNull, threshold: { type: "number" }, held: { type: "boolean" }, margin: finiteOrNull },
        required: ["id", "measured", "threshold", "held", "margin"],
        additionalProperties: false,
      },
    },
    runs: { type: "array", items: runSummarySchema },
  },
  required: ["seed", "claims"],
  additionalProperties: false,
} as const;
export type SeedSummary = FromSchema<typeof seedSummarySchema>;

const claimDefinitionProperties = {
  id: { type: "string" },
  statement: { type: "string" },
  check: { type: "string" },
  comparison: { enum: [">", ">=", "<", "<=", "=="] },
} as const;

const claimDefinitionSchema = {
  type: "object",
  properties: claimDefinitionProperties,
  required: ["id", "statement", "check", "comparison"],
  additionalProperties: false,
} as const;
export type ClaimDefinition = FromSchema<typeof claimDefinitionSchema>;

const judgedClaimSchema = {
  type: "object",
  description: "a claim over the seeds: held on `held` of `seeds`, the interval of its hold rate, its margins' five numbers, the verdict",
  properties: {
    ...claimDefinitionProperties,
    held: { type: "integer", minimum: 0 },
    seeds: { type: "integer", minimum: 1 },
    rate: { type: "number", minimum: 0, maximum: 1 },
    interval: {
      type: "object",
      properties: { lower: { type: "number" }, upper: { type: "number" } },
      required: ["lower", "upper"],
      additionalProperties: false,
    },
    margins: {
      type: "object",
      properties: { min: finiteOrNull, q1: finiteOrNull, median: finiteOrNull, q3: finiteOrNull, max: finiteOrNull },
      required: ["min", "q1", "median", "q3", "max"],
      additionalProperties: false,
    },
    verdict: { enum: ["supported", "refuted", "inconclusive"] },
  },
  required: ["id", "statement", "check", "comparison", "held", "seeds", "rate", "interval", "margins", "verdict"],
  additionalProperties: false,
} as const;
export type JudgedClaim = FromSchema<typeof judgedClaimSchema>;

/** The data a run used, without where it was read on the machine (shards run on different machines). */
const { location: _location, ...sourceProperties } = dataRecordSchema.properties.source.properties;
const seedsDataSchema = {
  ...dataRecordSchema,
  properties: {
    ...dataRecordSchema.properties,
    source: { ...dataRecordSchema.properties.source, properties: sourceProperties, required: ["name", "sha256", "description"] },
  },
} as const;

const provenanceProperties = {
  command: { type: "string" },
  generatedAt: { type: "string", description: "ISO 8601 time the run finished" },
  elapsedSeconds: { type: "number", minimum: 0 },
  runtime: { type: "string", description: "runtime and version, e.g. bun 1.4.5" },
  host: { type: "string", description: "platform, arch and threads" },
  dirty: { type: "boolean", description: "whether the work tree had uncommitted changes" },
  dirtyPaths: { type: "array", items: { type: "string" } },
  seedSeconds: {
    type: "array",
    description: "wall time of each seed (seeds run at once overlap)",
    items: { type: "object", properties: { seed: { type: "integer" }, seconds: { type: "number" } }, required: ["seed", "seconds"], additionalProperties: false },
  },
  dataLocation: { type: "string", description: "where the data was read" },
  trainedBy: { type: "string", description: "how the training runs were trained: one per seed, or each run of all the seeds as one population (and on which engine)" },
} as const;
const provenanceRequired = ["command", "generatedAt", "elapsedSeconds", "runtime", "host", "dirty"] as const;

const shardProvenanceSchema = {
  type: "object",
  properties: { ...provenanceProperties, file: { type: "string" }, shard: { type: "string", description: "I/N and where it was read" } },
  required: [...provenanceRequired, "file", "shard"],
  additionalProperties: false,
} as const;

const provenanceSchema = {
  type: "object",
  description: "how this file was made (not part of the result: differs run to run)",
  properties: { ...provenanceProperties, shards: { type: "array", items: shardProvenanceSchema } },
  required: provenanceRequired,
  additionalProperties: false,
} as const;
export type SeedsProvenance = FromSchema<typeof provenanceSchema>;

/** The members that identify a multi-seed run: shards merge only when these agree. */
const identityProperties = {
  experiment: { type: "string" },
  profile: { enum: PROFILES },
  seeds: { type: "array", items: { type: "integer", minimum: 0, maximum: 4294967295 }, minItems: 1, description: "every seed of the run, in order" },
  rule: {
    type: "object",
    properties: { level: { type: "number" }, method: { const: "clopper-pearson" }, proportion: { type: "number" }, fewestSeeds: { type: "integer" }, text: { type: "string" } },
    required: ["level", "method", "proportion", "fewestSeeds", "text"],
    additionalProperties: false,
  },
  config: { type: "object", description: "the experiment's config at the first seed (the others differ only in their seed)" },
  data: seedsDataSchema,
  backend: {
    type: "object",
    properties: { name: { type: "string" }, device: { type: "string" }, tfjsVersion: { type: "string" } },
    required: ["name", "device", "tfjsVersion"],
    additionalProperties: false,
  },
  code: {
    type: "object",
    properties: { commit: { type: "string", description: "git rev-parse HEAD of gradlab" } },
    required: ["commit"],
    additionalProperties: false,
  },
} as const;
const identityRequired = ["experiment", "profile", "seeds", "rule", "config", "data", "backend", "code"] as const;

export const seedsResultSchema = {
  $id: "gradlab/seeds-result",
  type: "object",
  properties: {
    format: { const: SEEDS_FORMAT },
    ...identityProperties,
    claims: { type: "array", items: judgedClaimSchema },
    perSeed: { type: "array", items: seedSummarySchema },
    provenance: provenanceSchema,
  },
  required: ["format", ...identityRequired, "claims", "perSeed", "provenance"],
  additionalProperties: false,
} as const;
export type SeedsResult = FromSchema<typeof seedsResultSchema>;

export const seedsShardSchema = {
  $id: "gradlab/seeds-shard",
  type: "object",
  properties: {
    format: { const: SHARD_FORMAT },
    ...identityProperties,
    shard: {
      type: "object",
      properties: { index: { type: "integer", minimum: 0 }, count: { type: "integer", minimum: 1 } },
      required: ["index", "count"],
      additionalProperties: false,
    },
    claims: { type: "array", items: claimDefinitionSchema },
    perSeed: { type: "array", items: seedSummarySchema },
    provenance: provenanceSchema,
  },
  required: ["format", ...identityRequired, "shard", "claims", "perSeed", "provenance"],
  additionalProperties: false,
} as const;
export type SeedsShard = FromSchema<typeof seedsShardSchema>;

/** The identity members, in the order they are written. */
export const IDENTITY_KEYS = identityRequired;
export type SeedsIdentity = Pick<SeedsResult, (typeof identityRequired)[number]>;

/**
 * The schema problems of a multi-seed result file ([] when valid), each naming the JSON pointer.
 *
 * @example
 * seedsResultProblems(JSON.parse(text)); // []
 */
export function seedsResultProblems(value: unknown): string[] {
  return schemaProblems(seedsResultSchema, value);
}

/**
 * The schema problems of a shard file ([] when valid).
 *
 * @example
 * seedsShardProblems(JSON.parse(text)); // []
 */
export function seedsShardProblems(value: unknown): string[] {
  return schemaProblems(seedsShardSchema, value);
}
