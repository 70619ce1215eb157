/**
 * The parts every experiment result shares, as JSON Schemas: where the data came from, where
 * it was computed, and a training run's config and record. `resultSchemaOf` puts an
 * experiment's config, series and summary around them.
 */
import type { FromSchema } from "json-schema-to-ts";
import { environmentSchema } from "../backend/mod.ts";
import { modelSpecSchema, trainConfigSchema, trainResultSchema } from "../core/mod.ts";
import { claimSchema } from "./claims.ts";

export const PROFILES = ["quick", "full"] as const;
/** `full`: exactly the seed's configuration; `quick`: a CI-sized cut of the same experiment. */
export type Profile = (typeof PROFILES)[number];

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

/** The environment (src/backend's one schema) and the seed a result ran from. */
export const environmentRecordSchema = {
  ...environmentSchema,
  $id: "gradlab/environment-record",
  description: "Where a result was computed (src/backend's environment()) and the seed it ran from.",
  properties: { ...environmentSchema.properties, seed: { type: "integer", minimum: 0, maximum: 4294967295 } },
  required: [...environmentSchema.required, "seed"],
} as const;
export type EnvironmentRecordWithSeed = FromSchema<typeof environmentRecordSchema>;

/** One training run of an experiment as it runs: a name, the model and the training config, as plain data. */
export const trainingRunSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    kind: { const: "train" },
    description: { type: "string" },
    model: modelSpecSchema,
    training: trainConfigSchema,
  },
  required: ["name", "kind", "description", "model", "training"],
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
    kernelMeanAbs: { type: "array", items: { type: "number" }, description: "mean |∂L/∂W| of each kernel (layer 1 first) over the recorded iterations" },
    kernelMeanAbsByEpoch: {
      type: "array",
      items: { type: "array", items: { type: "number" } },
      description: "mean |∂L/∂W| of each kernel over each epoch's recorded iterations ([epoch][layer]; NaN-free only where every epoch recorded some)",
    },
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
 * const schema = resultSchemaOf("fashion-sigmoid-vs-relu", configSchema, seriesSchema, summarySchema);
 */
export function resultSchemaOf(name: string, config: object, series: object, summary: object) {
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
  };
}
