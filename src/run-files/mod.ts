/**
 * Runs as files: what `gradlab train` writes (the result with --out, the streamed run log
 * with --log) and reading either back (for `gradlab plot`).
 */
export { type Run, type RunEnding, parseRun, parseRunLog, readRun } from "./read-run.ts";
export {
  formatLine,
  reviveNumbers,
  RUN_LOG_FORMAT,
  type RunLogEnd,
  runLogEndSchema,
  type RunLogEpoch,
  type RunLogHeader,
  runLogHeaderSchema,
  type RunLogLine,
  type RunLogStep,
  type RunLogStop,
  runLogStopSchema,
  stopLine,
  stopLocationSchema,
} from "./run-log.ts";
export { type RunRecord, runRecordSchema } from "./run-record.ts";
