/**
 * The parts every experiment result shares, as JSON Schemas: where the data came from, where
 * it was computed, and a training run's config and record. An experiment's own result schema
 * (`resultSchemaOf`) puts its config, series and summary around them.
 */
import type { FromSchema } from "json-schema-to-ts";
import { modelSpecSchema, trainConfigSchema, trainResultSchema } from "../core/mod.ts";
import { claimSchema } from "./claims.ts";

export const PROFILES = ["quick", "full"] as const;
/** `full`: exactly the seed's configuration; `quick`: a CI-sized cut of the same experiment. */
export type Profile = (typeof PROFILES)[number];

/**
 * The fields every experiment config starts with (`ConfigBase`), as schema properties to
 * spread into an experiment's config schema.
 *
 * @example
 * properties: { ...configHeadOf(NAME), data: rowCutSchema, runs: … }
 */
function configHeadOf<N extends string>(name: N) {
  return {
    experiment: { const: name },
    profile: { enum: PROFILES },
    seed: { type: "integer", minimum: 0, maximum: 4294967295 },
  } as const;
}

/**
 * An experiment's config schema: the common head (experiment, profile, seed) and the
 * experiment's own properties, all required, nothing else allowed.
 *
 * @example
 * const schema = configSchemaOf(NAME, { data: rowCutSchema, runs: runsOf(2) }, ["data", "runs"]);
 */
export function configSchemaOf<const N extends string, const P extends Record<string, unknown>, const R extends readonly (keyof P & string)[]>(
  name: N,
  properties: P,
  required: R,
) {
  return {
    $id: `gradlab/config/${name}`,
    type: "object",
    properties: { ...configHeadOf(name), ...properties },
    required: ["experiment", "profile", "seed", ...required],
    additionalProperties: false,
  } as const;
}

/**
 * An experiment's summary schema: `runs` (each run's final metrics) and the experiment's own
 * properties, all required, nothing else allowed.
 *
 * @example
 * const summary = summarySchemaOf({ kernelMeanAbs: kernelMeanAbsSchema }, ["kernelMeanAbs"]);
 */
export function summarySchemaOf<const P extends Record<string, unknown>, const R extends readonly (keyof P & string)[]>(properties: P, required: R) {
  return {
    type: "object",
    properties: { runs: { type: "array", items: runSummarySchema }, ...properties },
    required: ["runs", ...required],
    additionalProperties: false,
  } as const;
}

/** Per run: mean |∂L/∂W| of each kernel (layer 1 first), averaged over the run's recorded iterations. */
export const kernelMeanAbsSchema = {
  type: "array",
  description: "per run: mean |∂L/∂W| of each kernel (layer 1 first), averaged over the recorded iterations",
  items: {
    type: "object",
    properties: { name: { type: "string" }, perLayer: { type: "array", items: { type: "number" } } },
    required: ["name", "perLayer"],
    additionalProperties: false,
  },
} as const;

export const dataRecordSchema = {
  $id: "gradlab/data-record",
  type: "object",
  description: "The data a result was computed on: its source (with checksum), the rows used and how they were prepared.",
  properties: {
    source: {
      type: "object",
      properties: {
        name: { type: "string" },
        location: { type: "string", description: "where it was read on the machine that ran it (not compared)" },
        sha256: { type: "string" },
        description: { type: "string" },
      },
      required: ["name", "location", "sha256", "description"],
      additionalProperties: false,
    },
    full: { type: "boolean", description: "true when every row of the named full data set was used" },
    trainRows: { type: "integer", minimum: 0 },
    testRows: { type: "integer", minimum: 0 },
    features: { type: "integer", minimum: 1 },
    preprocessing: { type: "string", description: "what was done to the features and targets, in words" },
    statistics: {
      type: "object",
      description: "the numbers the preprocessing used (e.g. the training set's global mean and std)",
      additionalProperties: { type: "number" },
    },
  },
  required: ["source", "full", "trainRows", "testRows", "features", "preprocessing"],
  additionalProperties: false,
} as const;
export type DataRecord = FromSchema<typeof dataRecordSchema>;

export const environmentRecordSchema = {
  $id: "gradlab/environment-record",
  type: "object",
  description: "Where a result was computed (src/backend's environment()) and the seed it ran from.",
  properties: {
    backend: { enum: ["cpu", "wasm", "webgpu", "tensorflow", "tensorflow-gpu"] },
    device: { type: "string" },
    runtime: { enum: ["bun", "deno", "node"] },
    runtimeVersion: { type: "string" },
    tfjsVersion: { type: "string" },
    platform: { type: "string" },
    arch: { type: "string" },
    threads: { type: "integer" },
    seed: { type: "integer", minimum: 0, maximum: 4294967295 },
  },
  required: ["backend", "device", "runtime", "runtimeVersion", "tfjsVersion", "platform", "arch", "seed"],
  additionalProperties: false,
} as const;
export type EnvironmentRecordWithSeed = FromSchema<typeof environmentRecordSchema>;

/** One training run of an experiment: a name, the model and the training config, as plain data. */
export const trainingRunSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    description: { type: "string" },
    model: modelSpecSchema,
    train: trainConfigSchema,
  },
  required: ["name", "description", "model", "train"],
  additionalProperties: false,
} as const;
export type TrainingRun = FromSchema<typeof trainingRunSchema>;

/** One run's record: the training core's TrainResult under the run's name. */
export const runRecordSchema = {
  type: "object",
  properties: { name: { type: "string" }, result: trainResultSchema },
  required: ["name", "result"],
  additionalProperties: false,
} as const;
export type RunRecord = FromSchema<typeof runRecordSchema>;

/** The series of an experiment that is a list of named training runs. */
export const runsSeriesSchema = {
  type: "object",
  properties: { runs: { type: "array", items: runRecordSchema } },
  required: ["runs"],
  additionalProperties: false,
} as const;

/** A data cut: the first rows of the training and test sets (absent: all of them). */
export const rowCutSchema = {
  type: "object",
  properties: {
    trainRows: { type: "integer", minimum: 1, description: "use only the first rows (absent: all)" },
    testRows: { type: "integer", minimum: 1 },
  },
  additionalProperties: false,
} as const;

/** Final metrics of one run, for summaries. */
export const runSummarySchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    iterations: { type: "integer", minimum: 0 },
    finalLossMean: { type: "number" },
    finalTrainAccuracy: { type: "number" },
    finalTrainLoss: { type: "number" },
    finalTestLoss: { type: "number" },
    finalTestAccuracy: { type: "number" },
  },
  required: ["name", "iterations", "finalLossMean"],
  additionalProperties: false,
} as const;
export type RunSummary = FromSchema<typeof runSummarySchema>;

/**
 * The JSON Schema of one experiment's result: the shared envelope (experiment, profile,
 * data, environment, claims) around the experiment's own config, series and summary.
 *
 * @example
 * export const e1ResultSchema = resultSchemaOf("fashion-sigmoid-vs-relu", e1ConfigSchema, e1SeriesSchema, e1SummarySchema);
 */
export function resultSchemaOf<const N extends string, const C, const S, const M>(name: N, config: C, series: S, summary: M) {
  return {
    $id: `gradlab/result/${name}`,
    type: "object",
    properties: {
      experiment: { const: name },
      profile: { enum: PROFILES },
      config,
      data: dataRecordSchema,
      environment: environmentRecordSchema,
      series,
      summary,
      claims: { type: "array", items: claimSchema },
    },
    required: ["experiment", "profile", "config", "data", "environment", "series", "summary", "claims"],
    additionalProperties: false,
  } as const;
}
