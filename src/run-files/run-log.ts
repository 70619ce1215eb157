/**
 * The run log: what `gradlab train --log FILE` streams while it trains, one JSON object per
 * line (JSONL), so that a run that stops (NaN, Inf, a crash, a kill) leaves everything it
 * recorded up to that point. Lines, in order:
 *
 * - `header`: format, command, model, training config with its seed, data, environment,
 *   engine, parameter names and shapes, iterations planned;
 * - `step`: one per recorded step (every `record.every` iterations), the StepRecord;
 * - `epoch`: one per finished epoch, the EpochMetrics;
 * - last, `stop` (training stopped: on a non-finite loss or gradient with its location, or on
 *   another error with its message) or `end` (the run finished). A log without either was cut
 *   off (the process was killed).
 */
import type { FromSchema } from "json-schema-to-ts";
import { epochMetricsSchema, NonFiniteError, stepRecordSchema } from "../core/mod.ts";
import { modelSpecSchema, trainConfigSchema } from "../core/mod.ts";
import { runDataSchema, runEnvironmentSchema } from "./run-record.ts";

/** The value of the header's `format` field; a reader refuses other formats. */
export const RUN_LOG_FORMAT = "gradlab-run-log/1";

export const runLogHeaderSchema = {
  type: "object",
  properties: {
    kind: { const: "header" },
    format: { const: RUN_LOG_FORMAT },
    command: { type: "string" },
    model: modelSpecSchema,
    training: trainConfigSchema,
    data: runDataSchema,
    environment: runEnvironmentSchema,
    engine: { enum: ["autodiff", "fast-dense"] },
    parameterNames: { type: "array", items: { type: "string" } },
    parameterShapes: { type: "array", items: { type: "array", items: { type: "integer" } } },
    iterationsPerEpoch: { type: "integer", minimum: 0 },
    iterations: { type: "integer", minimum: 0, description: "iterations planned" },
  },
  required: ["kind", "format", "model", "training", "data", "environment", "engine", "parameterNames", "parameterShapes", "iterationsPerEpoch", "iterations"],
  additionalProperties: false,
} as const;
export type RunLogHeader = FromSchema<typeof runLogHeaderSchema>;

const withKind = <K extends string, S extends { properties: object; required: readonly string[] }>(kind: K, schema: S) => ({
  ...schema,
  properties: { kind: { const: kind }, ...schema.properties },
  required: ["kind", ...schema.required],
}) as const;

export const runLogStepSchema = withKind("step", stepRecordSchema);
export type RunLogStep = FromSchema<typeof runLogStepSchema>;

export const runLogEpochSchema = withKind("epoch", epochMetricsSchema);
export type RunLogEpoch = FromSchema<typeof runLogEpochSchema>;

const nonFiniteValue = { enum: ["NaN", "+Inf", "-Inf"] } as const;

/** Where training stopped on a non-finite number (NonFiniteLocation). */
export const stopLocationSchema = {
  type: "object",
  properties: {
    kind: { enum: ["loss", "gradient"], description: "what was non-finite" },
    iteration: { type: "integer", minimum: 0 },
    epoch: { type: "integer", minimum: 1 },
    batch: { type: "integer", minimum: 0 },
    value: nonFiniteValue,
    layer: { type: ["integer", "null"], description: "the layer (1 = next to the input) of the tensor or output that held it first" },
    tensor: { type: ["string", "null"], description: "the gradient's (or, for a loss, the parameter's) tensor; null for a layer output" },
    element: { type: ["array", "null"], items: { type: "integer", minimum: 0 }, description: "the element's coordinates in that tensor (a layer output: [row, unit])" },
  },
  required: ["kind", "iteration", "epoch", "batch", "value", "layer", "tensor", "element"],
  additionalProperties: false,
} as const;

export const runLogStopSchema = {
  type: "object",
  properties: {
    kind: { const: "stop" },
    reason: { enum: ["non-finite", "error"] },
    message: { type: "string" },
    location: stopLocationSchema,
  },
  required: ["kind", "reason", "message"],
  additionalProperties: false,
} as const;
export type RunLogStop = FromSchema<typeof runLogStopSchema>;

export const runLogEndSchema = {
  type: "object",
  properties: {
    kind: { const: "end" },
    iterations: { type: "integer", minimum: 0 },
    seconds: { type: "number", minimum: 0 },
  },
  required: ["kind", "iterations"],
  additionalProperties: false,
} as const;
export type RunLogEnd = FromSchema<typeof runLogEndSchema>;

export type RunLogLine = RunLogHeader | RunLogStep | RunLogEpoch | RunLogStop | RunLogEnd;

/**
 * The stop line for an error that ended training: a NonFiniteError's location when it has
 * one, else its message.
 *
 * @example
 * log.write(stopLine(error));
 */
export function stopLine(error: unknown): RunLogStop {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof NonFiniteError) {
    return { kind: "stop", reason: "non-finite", message, ...(error.location ? { location: error.location } : {}) };
  }
  return { kind: "stop", reason: "error", message };
}

/**
 * One line of the log: JSON without newlines inside, then "\n". JSON has no NaN or ±Inf; in
 * step and epoch lines (a test loss can overflow while training goes on) they are written as
 * the strings "NaN", "Infinity", "-Infinity", and `parseRunLog` reads them back as numbers.
 *
 * @example
 * formatLine({ kind: "end", iterations: 94 }); // '{"kind":"end","iterations":94}\n'
 */
export function formatLine(line: RunLogLine): string {
  const numbersOnly = line.kind === "step" || line.kind === "epoch";
  const text = JSON.stringify(line, (key, v) => {
    if (typeof v !== "number" || Number.isFinite(v)) return v;
    if (!numbersOnly) throw new Error(`run log: ${line.kind} line: field ${key} is ${v}, which JSON cannot hold`);
    return String(v);
  });
  return text + "\n";
}

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/** A step or epoch line as parsed, with "NaN"/"Infinity"/"-Infinity" turned back into numbers. */
export function reviveNumbers(value: unknown): unknown {
  if (typeof value === "string" && value in NON_FINITE) return NON_FINITE[value];
  if (Array.isArray(value)) return value.map(reviveNumbers);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reviveNumbers(v)]));
  return value;
}
