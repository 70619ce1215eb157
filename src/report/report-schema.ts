/**
 * report/report.json: what the report shows, as plain data. The JSON Schema is the contract;
 * the type is derived from it, and every report is validated before it is written.
 */
import { Ajv, type ValidateFunction } from "ajv";
import type { FromSchema } from "json-schema-to-ts";
import { environmentFields } from "../backend/mod.ts";

const nullableString = { type: ["string", "null"] } as const;
const profileOrNull = { enum: ["quick", "full", "ci", "thorough", null] } as const;

const finiteOrNull = { type: ["number", "null"], description: "null when not finite (NaN or ±Infinity cannot be JSON)" } as const;

/** A claim as src/experiments states it, with non-finite numbers as null. */
export const reportClaimSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    statement: { type: "string" },
    check: { type: "string" },
    measured: finiteOrNull,
    comparison: { enum: [">", ">=", "<", "<=", "=="] },
    threshold: { type: "number" },
    held: { type: "boolean" },
    margin: finiteOrNull,
    detail: { type: "string" },
  },
  required: ["id", "statement", "check", "measured", "comparison", "threshold", "held", "margin"],
  additionalProperties: false,
} as const;
export type ReportClaim = FromSchema<typeof reportClaimSchema>;

export const sectionProblemSchema = {
  type: "object",
  description: "Why a section could not be shown: the file, the field (a JSON pointer) and what is wrong.",
  properties: { file: nullableString, field: nullableString, message: { type: "string" } },
  required: ["file", "field", "message"],
  additionalProperties: false,
} as const;
export type SectionProblem = FromSchema<typeof sectionProblemSchema>;

export const sectionSchema = {
  type: "object",
  properties: {
    id: { type: "string", description: "properties, E1 … E6, derivatives" },
    title: { type: "string" },
    status: { enum: ["ok", "failed", "absent"], description: "absent: no source for it here; failed: a source that could not be read or drawn" },
    origin: { enum: ["run", "fixture", "file", "computed", null], description: "run now, a committed fixture, a file given, or computed from formulas" },
    file: { ...nullableString, description: "the file the section was read from" },
    profile: profileOrNull,
    note: { type: "string", description: "what was shown and how to get more, for people" },
    problem: { oneOf: [{ type: "null" }, sectionProblemSchema] },
    figures: { type: "array", items: { type: "string" }, description: "ids of its figures" },
  },
  required: ["id", "title", "status", "origin", "file", "profile", "note", "problem", "figures"],
  additionalProperties: false,
} as const;
export type Section = FromSchema<typeof sectionSchema>;

export const experimentEntrySchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    title: { type: "string" },
    profile: { enum: ["quick", "full"] },
    origin: { enum: ["run", "fixture"] },
    seed: { type: "integer", minimum: 0 },
    environment: environmentFields(["backend", "device", "runtime", "runtimeVersion", "tfjsVersion"], "where the result was computed"),
    data: {
      type: "object",
      properties: {
        name: { type: "string" },
        description: { type: "string" },
        full: { type: "boolean" },
        trainRows: { type: "integer", minimum: 0 },
        testRows: { type: "integer", minimum: 0 },
      },
      required: ["name", "description", "full", "trainRows", "testRows"],
      additionalProperties: false,
    },
    finalAccuracies: {
      type: "array",
      items: {
        type: "object",
        properties: { run: { type: "string" }, train: { type: ["number", "null"] }, test: { type: ["number", "null"] } },
        required: ["run", "train", "test"],
        additionalProperties: false,
      },
    },
    claims: { type: "array", items: reportClaimSchema },
    varianceTable: {
      type: "array",
      description: "E6 only: per activation × initializer, the per-layer variance ratios and whether both stay in the band",
      items: {
        type: "object",
        properties: {
          activation: { type: "string" },
          init: { type: "string" },
          forwardRatio: finiteOrNull,
          backwardRatio: finiteOrNull,
          keepsVariance: { type: "boolean" },
        },
        required: ["activation", "init", "forwardRatio", "backwardRatio", "keepsVariance"],
        additionalProperties: false,
      },
    },
  },
  required: ["id", "name", "title", "profile", "origin", "seed", "environment", "data", "finalAccuracies", "claims"],
  additionalProperties: false,
} as const;
export type ExperimentEntry = FromSchema<typeof experimentEntrySchema>;

export const propertiesEntrySchema = {
  type: "object",
  properties: {
    seed: { type: "integer", minimum: 0 },
    profile: { enum: ["ci", "thorough"] },
    command: { type: "string" },
    runtime: { type: "string", description: "runtime and version the laws ran on" },
    perBackend: {
      type: "array",
      items: {
        type: "object",
        properties: {
          backend: { type: "string" },
          device: { type: "string" },
          passed: { type: "integer", minimum: 0 },
          failed: { type: "integer", minimum: 0 },
          skipped: { type: "integer", minimum: 0 },
        },
        required: ["backend", "device", "passed", "failed", "skipped"],
        additionalProperties: false,
      },
    },
    notChecked: {
      type: "array",
      description: "backends the laws did not run on, and why",
      items: {
        type: "object",
        properties: { backend: { type: "string" }, reason: { type: "string" } },
        required: ["backend", "reason"],
        additionalProperties: false,
      },
    },
    laws: {
      type: "array",
      items: {
        type: "object",
        properties: {
          property: { type: "string" },
          group: { type: "string" },
          law: { type: "string" },
          results: {
            type: "array",
            items: {
              type: "object",
              properties: {
                backend: { type: "string" },
                status: { enum: ["passed", "failed", "skipped"] },
                runs: { type: "integer", minimum: 0 },
                problem: nullableString,
                replay: nullableString,
              },
              required: ["backend", "status", "runs", "problem", "replay"],
              additionalProperties: false,
            },
          },
        },
        required: ["property", "group", "law", "results"],
        additionalProperties: false,
      },
    },
  },
  required: ["seed", "profile", "command", "runtime", "perBackend", "notChecked", "laws"],
  additionalProperties: false,
} as const;
export type PropertiesEntry = FromSchema<typeof propertiesEntrySchema>;

export const reportSchema = {
  $id: "gradlab/report",
  title: "gradlab report",
  type: "object",
  properties: {
    schemaVersion: { const: 1 },
    generatedAt: { type: "string", description: "ISO 8601 time the report was written" },
    command: { type: "string", description: "the command that wrote it" },
    tool: {
      type: "object",
      description: "what rendered the report",
      properties: {
        runtime: { type: "string" },
        runtimeVersion: { type: "string" },
        platform: { type: "string" },
        arch: { type: "string" },
        tfjsVersion: { type: "string" },
        vegaVersion: { type: "string" },
        vegaLiteVersion: { type: "string" },
        backend: { ...nullableString, description: "the tfjs backend used for what was run now (null when nothing ran)" },
        device: nullableString,
      },
      required: ["runtime", "runtimeVersion", "platform", "arch", "tfjsVersion", "vegaVersion", "vegaLiteVersion", "backend", "device"],
      additionalProperties: false,
    },
    fashionMnist: {
      type: "object",
      description: "which Fashion-MNIST E1 used, and how to get the full set",
      properties: {
        full: { type: "boolean" },
        location: nullableString,
        note: { type: "string" },
      },
      required: ["full", "location", "note"],
      additionalProperties: false,
    },
    sections: { type: "array", items: sectionSchema },
    properties: { oneOf: [{ type: "null" }, propertiesEntrySchema] },
    experiments: { type: "array", items: experimentEntrySchema },
    figures: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          section: { type: "string" },
          title: { type: "string" },
          caption: { type: "string" },
          file: { type: "string", description: "the standalone SVG, relative to the report directory" },
        },
        required: ["id", "section", "title", "caption", "file"],
        additionalProperties: false,
      },
    },
    totals: {
      type: "object",
      properties: {
        claimsHeld: { type: "integer", minimum: 0 },
        claimsFailed: { type: "integer", minimum: 0 },
        propertiesPassed: { type: "integer", minimum: 0 },
        propertiesFailed: { type: "integer", minimum: 0 },
        propertiesSkipped: { type: "integer", minimum: 0 },
        sectionsFailed: { type: "integer", minimum: 0 },
      },
      required: ["claimsHeld", "claimsFailed", "propertiesPassed", "propertiesFailed", "propertiesSkipped", "sectionsFailed"],
      additionalProperties: false,
    },
  },
  required: ["schemaVersion", "generatedAt", "command", "tool", "fashionMnist", "sections", "properties", "experiments", "figures", "totals"],
  additionalProperties: false,
} as const;
export type Report = FromSchema<typeof reportSchema>;

let validator: ValidateFunction | undefined;

/**
 * Validates a report against the schema; throws listing the offending fields.
 *
 * @example
 * validateReport(JSON.parse(readFileSync("report/report.json", "utf8")));
 */
export function validateReport(value: unknown): Report {
  validator ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(reportSchema);
  if (!validator(value)) {
    const errors = (validator.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || "/"} ${e.message}`);
    throw new Error(`not a valid gradlab report:\n  ${errors.join("\n  ")}`);
  }
  return value as Report;
}

