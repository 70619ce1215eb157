/**
 * What `gradlab train --out FILE` writes: the run's config, data source, environment and
 * result, as one JSON object. `plot` reads it back through this schema.
 */
import type { FromSchema } from "json-schema-to-ts";
import { environmentSchema } from "../backend/mod.ts";
import { modelSpecSchema, trainConfigSchema, trainResultSchema } from "../core/mod.ts";
import { dataSpecSchema } from "../data/mod.ts";

/** The data a run trained on, as `train` records it. */
export const runDataSchema = {
  type: "object",
  properties: {
    spec: dataSpecSchema,
    source: {
      type: "object",
      properties: { name: { type: "string" }, location: { type: "string" }, sha256: { type: "string" }, description: { type: "string" } },
      required: ["name", "location", "sha256", "description"],
      additionalProperties: false,
    },
    preprocessing: { type: "string" },
    trainRows: { type: "integer", minimum: 0 },
    testRows: { type: "integer", minimum: 0 },
  },
  required: ["spec", "source", "preprocessing", "trainRows", "testRows"],
  additionalProperties: false,
} as const;

/**
 * Where a run was computed (src/backend's environment schema, plus the seed); read leniently:
 * only the backend and runtime are required, and fields a later version adds are allowed.
 */
export const runEnvironmentSchema = {
  type: "object",
  properties: { ...environmentSchema.properties, seed: { type: "integer" } },
  required: ["backend", "runtime"],
} as const;

export const runRecordSchema = {
  type: "object",
  description: "gradlab train --out: one training run, its inputs and its result",
  properties: {
    command: { type: "string" },
    model: modelSpecSchema,
    training: trainConfigSchema,
    data: runDataSchema,
    environment: runEnvironmentSchema,
    seconds: { type: "number", minimum: 0 },
    result: trainResultSchema,
  },
  required: ["model", "training", "data", "environment", "result"],
} as const;
export type RunRecord = FromSchema<typeof runRecordSchema>;
