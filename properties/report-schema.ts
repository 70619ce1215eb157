/**
 * The property report: one result per law × backend, as plain JSON. The JSON Schema is the
 * contract (the HTML report reads it); the type is derived from it with json-schema-to-ts;
 * `readPropertyReport` reads a file and validates it with ajv.
 */
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import type { FromSchema } from "json-schema-to-ts";
import { environmentFields } from "../src/backend/mod.ts";

const backendNames = ["cpu", "wasm", "webgpu", "tensorflow", "tensorflow-gpu"] as const;

export const counterexampleSchema = {
  $id: "gradlab/property-counterexample",
  type: "object",
  description: "The shrunk input on which the law failed, and how to replay it.",
  properties: {
    value: { type: "string", description: "the generated arguments, as fast-check's stringify prints them" },
    error: { type: "string", description: "what the law found wrong on that input" },
    path: { type: "string", description: "fast-check's path to this counterexample (pass it back with --path)" },
    shrinks: { type: "integer", minimum: 0 },
    replay: { type: "string", description: "the exact command that runs this counterexample again" },
  },
  required: ["value", "error", "path", "shrinks", "replay"],
  additionalProperties: false,
} as const;
export type Counterexample = FromSchema<typeof counterexampleSchema>;

export const propertyResultSchema = {
  $id: "gradlab/property-result",
  type: "object",
  description: "One law checked on one backend.",
  properties: {
    property: { type: "string", description: "the law's name, e.g. sigmoid-derivative" },
    group: { enum: ["activations", "depth", "initializers", "clipping", "batch-norm", "gradients", "engine", "backends"] },
    law: { type: "string", description: "the law in one sentence" },
    backend: { enum: backendNames },
    status: { enum: ["passed", "failed", "skipped"] },
    runs: { type: "integer", minimum: 0, description: "inputs checked (fast-check's numRuns, shrinking excluded)" },
    runsRequested: { type: "integer", minimum: 0 },
    skippedInputs: { type: "integer", minimum: 0, description: "generated inputs the law's preconditions discarded" },
    seed: { type: "integer", minimum: 0, maximum: 4294967295 },
    timeMs: { type: "number", minimum: 0, description: "wall time of the check, shrinking included" },
    tolerance: {
      type: "object",
      properties: {
        rule: { type: "string" },
        values: { type: "object", additionalProperties: { type: "number" } },
      },
      required: ["rule", "values"],
      additionalProperties: false,
    },
    counterexample: { oneOf: [{ type: "null" }, counterexampleSchema] },
    error: { type: ["string", "null"], description: "why the check could not run (a failure without a counterexample), or why it was skipped" },
  },
  required: ["property", "group", "law", "backend", "status", "runs", "runsRequested", "skippedInputs", "seed", "timeMs", "tolerance", "counterexample", "error"],
  additionalProperties: false,
} as const;
export type PropertyResult = FromSchema<typeof propertyResultSchema>;

export const propertyReportSchema = {
  $id: "gradlab/property-report",
  title: "gradlab property report",
  type: "object",
  properties: {
    schemaVersion: { const: 1 },
    generatedAt: { type: "string", description: "ISO 8601 time the run ended" },
    seed: { type: "integer", minimum: 0, maximum: 4294967295, description: "the one seed every law ran from" },
    profile: { enum: ["ci", "thorough"] },
    runs: { type: ["integer", "null"], minimum: 1, description: "--runs, when it replaced the profile's run counts" },
    filter: { type: ["string", "null"], description: "--filter, the regular expression on law names" },
    path: { type: ["string", "null"], description: "--path, when one counterexample was replayed" },
    command: { type: "string", description: "a command that repeats this whole run" },
    runtime: environmentFields(["runtime", "runtimeVersion", "tfjsVersion", "platform", "arch"], "the runtime the laws ran under"),
    backends: {
      type: "array",
      description: "every backend gradlab knows: whether the laws ran on it, and why not",
      items: {
        type: "object",
        properties: {
          name: { enum: backendNames },
          checked: { type: "boolean" },
          device: { type: "string" },
          reason: { type: "string" },
        },
        required: ["name", "checked", "device", "reason"],
        additionalProperties: false,
      },
    },
    summary: {
      type: "object",
      properties: {
        passed: { type: "integer", minimum: 0 },
        failed: { type: "integer", minimum: 0 },
        skipped: { type: "integer", minimum: 0 },
        total: { type: "integer", minimum: 0 },
        timeMs: { type: "number", minimum: 0 },
      },
      required: ["passed", "failed", "skipped", "total", "timeMs"],
      additionalProperties: false,
    },
    results: { type: "array", items: propertyResultSchema },
  },
  required: ["schemaVersion", "generatedAt", "seed", "profile", "runs", "filter", "path", "command", "runtime", "backends", "summary", "results"],
  additionalProperties: false,
} as const;
export type PropertyReport = FromSchema<typeof propertyReportSchema>;

let validator: ReturnType<Ajv["compile"]> | undefined;

/**
 * Validates a parsed report against the schema; throws an Error listing what is wrong.
 *
 * @example
 * const report = validatePropertyReport(JSON.parse(text));
 */
export function validatePropertyReport(data: unknown): PropertyReport {
  validator ??= new Ajv({ allErrors: true, strict: true }).compile(propertyReportSchema);
  if (!validator(data)) {
    const errors = (validator.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`).slice(0, 10);
    throw new Error(`not a valid property report:\n  ${errors.join("\n  ")}`);
  }
  return data as PropertyReport;
}

/**
 * Reads and validates a property report file (e.g. report/properties.json).
 *
 * @example
 * const report = readPropertyReport("report/properties.json");
 * console.log(report.summary.failed);
 */
export function readPropertyReport(path: string): PropertyReport {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
  try {
    return validatePropertyReport(data);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}
