/**
 * Reading a run back for `plot`: a `train --out` result file or a run log (JSONL, possibly
 * stopped or cut off), as one shape.
 */
import { readFileSync } from "node:fs";
import type { EpochMetrics, ModelSpec, StepRecord, TrainConfig } from "../core/mod.ts";
import { validate } from "../core/mod.ts";
import {
  RUN_LOG_FORMAT,
  type RunLogEnd,
  runLogEndSchema,
  runLogEpochSchema,
  type RunLogHeader,
  runLogHeaderSchema,
  type RunLogStop,
  runLogStepSchema,
  runLogStopSchema,
  reviveNumbers,
} from "./run-log.ts";
import { type RunRecord, runRecordSchema } from "./run-record.ts";

/** How the recorded part of a run ended. */
export type RunEnding =
  | { kind: "end"; iterations: number }
  | RunLogStop
  | { kind: "cut"; note: string };

/** A run as `plot` draws it, whichever file it came from. */
export interface Run {
  /** "result": `train --out`; "log": `train --log` */
  from: "result" | "log";
  file: string;
  command: string | null;
  model: ModelSpec;
  training: TrainConfig;
  data: RunRecord["data"];
  environment: RunRecord["environment"];
  engine: string;
  parameterNames: string[];
  parameterShapes: number[][];
  iterationsPerEpoch: number;
  /** iterations planned (a log) or run (a result) */
  iterations: number;
  epochs: EpochMetrics[];
  steps: StepRecord[];
  ending: RunEnding;
}

/**
 * Reads a run file: a result (`train --out`) or a run log (`train --log`), told apart by
 * content. Throws an error naming the file (and the line, for a log) for anything else.
 *
 * @example
 * const run = readRun("runs/e1.jsonl");
 * run.ending; // { kind: "stop", reason: "non-finite", location: { iteration: 12, … } }
 */
export function readRun(path: string): Run {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`${path}: cannot read: ${(e as Error).message}`);
  }
  return parseRun(text, path);
}

/**
 * Parses a run file's text (see readRun); `file` names it in errors.
 *
 * @example
 * const run = parseRun(readFileSync("runs/e1.json", "utf8"), "runs/e1.json");
 */
export function parseRun(text: string, file: string): Run {
  const firstLine = text.slice(0, text.indexOf("\n") === -1 ? text.length : text.indexOf("\n"));
  let first: unknown;
  try {
    first = JSON.parse(firstLine);
  } catch {
    first = undefined;
  }
  if (isObject(first) && first.kind === "header") return parseRunLog(text, file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: neither a run result (gradlab train --out, one JSON object) nor a run log (gradlab train --log, JSON lines starting with a header): ${(e as Error).message}`);
  }
  const record = validate<RunRecord>(runRecordSchema, value, `${file} (a gradlab train --out result)`);
  const r = record.result;
  return runOf("result", file, { ...record, ...r }, { kind: "end", iterations: r.iterations });
}

/** A Run from a result's or a log's fields. */
function runOf(
  from: Run["from"],
  file: string,
  r: Omit<Run, "from" | "file" | "command" | "ending" | "model" | "training"> & { command?: string; model: unknown; training: unknown },
  ending: RunEnding,
): Run {
  return {
    from,
    file,
    command: r.command ?? null,
    model: r.model as ModelSpec,
    training: r.training as TrainConfig,
    data: r.data,
    environment: r.environment,
    engine: r.engine,
    parameterNames: r.parameterNames,
    parameterShapes: r.parameterShapes,
    iterationsPerEpoch: r.iterationsPerEpoch,
    iterations: r.iterations,
    epochs: r.epochs,
    steps: r.steps,
    ending,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const BODY_SCHEMAS = { step: runLogStepSchema, epoch: runLogEpochSchema, stop: runLogStopSchema, end: runLogEndSchema } as const;

/**
 * Parses a run log. A last line that is not complete JSON is a write the process did not
 * finish (killed): the run counts as cut off there. Any other bad line is an error naming
 * the file, the line number and the field.
 *
 * @example
 * const run = parseRunLog(text, "runs/e1.jsonl");
 */
export function parseRunLog(text: string, file: string): Run {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  let header: RunLogHeader | null = null;
  const epochs: EpochMetrics[] = [];
  const steps: StepRecord[] = [];
  let ending: RunEnding | null = null;
  for (let i = 0; i < lines.length; i++) {
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(lines[i]!);
    } catch (e) {
      if (i === lines.length - 1 && header) {
        ending = { kind: "cut", note: `line ${i + 1} is incomplete: the process stopped while writing it` };
        break;
      }
      throw new Error(`${where}: not a JSON line: ${(e as Error).message}`);
    }
    if (i === 0) {
      if (!isObject(value) || value.kind !== "header") throw new Error(`${where}: the first line of a run log must be its header ({"kind":"header", …})`);
      if (value.format !== RUN_LOG_FORMAT) throw new Error(`${where}: format ${JSON.stringify(value.format)}, expected ${JSON.stringify(RUN_LOG_FORMAT)}`);
      header = validate<RunLogHeader>(runLogHeaderSchema, value, `${where} (run log header)`);
      continue;
    }
    if (ending) throw new Error(`${where}: a line after the run's ${ending.kind} line`);
    const kind = isObject(value) ? value.kind : undefined;
    if (typeof kind !== "string" || !(kind in BODY_SCHEMAS)) {
      throw new Error(`${where}: kind ${JSON.stringify(kind)}, expected one of ${Object.keys(BODY_SCHEMAS).join(", ")}`);
    }
    const body = kind === "step" || kind === "epoch" ? reviveNumbers(value) : value;
    const line = validate<Record<string, unknown>>(BODY_SCHEMAS[kind as keyof typeof BODY_SCHEMAS], body, `${where} (run log ${kind} line)`);
    const { kind: _, ...fields } = line;
    if (kind === "step") steps.push(fields as StepRecord);
    else if (kind === "epoch") epochs.push(fields as EpochMetrics);
    else if (kind === "stop") ending = line as RunLogStop;
    else ending = { kind: "end", iterations: (line as RunLogEnd).iterations };
  }
  if (!header) throw new Error(`${file}: empty: a run log starts with its header line`);
  return runOf("log", file, { ...header, epochs, steps }, ending ?? { kind: "cut", note: "the log ends without a stop or end line: the process was killed or is still running" });
}
