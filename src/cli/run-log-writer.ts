/**
 * Streaming a run log (`gradlab train --log FILE`): each line goes to the file with write(2)
 * as soon as it is made (no buffer in the process), so a process that dies (NaN stop, crash,
 * kill -9) keeps every line written before; epoch, stop and end lines are also fsync'd (a step
 * line is not: an fsync per recorded step would cost more than the step). The format is in
 * src/run-files/.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from "node:fs";
import { Buffer } from "node:buffer";
import { dirname, resolve } from "node:path";
import { checkOutputFile } from "../output/mod.ts";
import type { TrainOptions, TrainStart } from "../core/mod.ts";
import { formatLine, type RunLogHeader, type RunLogLine, stopLine } from "../run-files/mod.ts";
import { UsageError } from "./usage-error.ts";

/** An open run log. */
export interface RunLogWriter {
  readonly path: string;
  write(line: RunLogLine): void;
  close(): void;
}

/**
 * The log a `train` call streams to: `--log FILE`, else beside `--out` (its name with
 * `.jsonl` for `.json`), else none; `--out -` (standard output) has no log beside it, and
 * `--no-log` turns the default off. Checked before training like every output path.
 *
 * @example
 * runLogPath({ out: "runs/e1.json", noLog: false }); // "runs/e1.jsonl"
 */
export function runLogPath(flags: { log?: string; noLog: boolean; out?: string }): string | null {
  if (flags.log !== undefined && flags.noLog) throw new UsageError("--log and --no-log: give one of them");
  if (flags.noLog) return null;
  const beside = flags.out === undefined || flags.out === "-" ? undefined : flags.out.replace(/\.json$/i, "") + ".jsonl";
  const path = flags.log ?? beside;
  if (path === undefined) return null;
  const flag = flags.log !== undefined ? "--log" : "--log (by default beside --out)";
  if (flags.out !== undefined && flags.out !== "-" && resolve(flags.out) === resolve(path)) throw new UsageError(`${flag}: ${path} is also the --out file`);
  // --log itself was checked with the other output flags; the default is checked here.
  if (flags.log === undefined) checkOutputFile(path, flag);
  return path;
}

/**
 * Creates (or truncates) the log file and returns its writer.
 *
 * @example
 * const log = openRunLog("runs/e1.jsonl");
 * log.write({ kind: "end", iterations: 94 });
 * log.close();
 */
export function openRunLog(path: string): RunLogWriter {
  let fd: number | null;
  try {
    mkdirSync(dirname(path) || ".", { recursive: true });
    fd = openSync(path, "w");
  } catch (e) {
    throw new Error(`--log: cannot write ${path}: ${(e as Error).message}`);
  }
  return {
    path,
    write(line) {
      if (fd === null) throw new Error(`run log ${path}: written after close`);
      const bytes = Buffer.from(formatLine(line), "utf8");
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
      if (line.kind !== "step") fsyncSync(fd);
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

/** A run log fed by train()'s hooks. */
export interface RunLogStream {
  readonly path: string;
  /** for train(): onStart opens the file and writes the header; onStep and onEpoch their lines */
  hooks: Pick<TrainOptions, "onStart" | "onStep" | "onEpoch">;
  /** Writes the stop line for the error that ended training and closes; false when no log was open yet. */
  stop(error: unknown): boolean;
  /** Writes the end line and closes. */
  end(iterations: number, seconds: number): void;
}

/**
 * A run log at `path`, opened when training starts (so a run refused before its first step
 * leaves no log), its header made by `header` from what train() reports at its start.
 *
 * @example
 * const log = streamRunLog("runs/e1.jsonl", (s) => ({ kind: "header", format: RUN_LOG_FORMAT, …s }));
 * const result = await train(spec, config, data, { ...log.hooks }).catch((e) => { log.stop(e); throw e; });
 * log.end(result.iterations, seconds);
 */
export function streamRunLog(path: string, header: (start: TrainStart) => RunLogHeader): RunLogStream {
  let log: RunLogWriter | null = null;
  const open = () => {
    if (!log) throw new Error(`run log ${path}: a line before the header`);
    return log;
  };
  return {
    path,
    hooks: {
      onStart(s) {
        log = openRunLog(path);
        log.write(header(s));
      },
      onStep: (s) => open().write({ kind: "step", ...s }),
      onEpoch: (m) => open().write({ kind: "epoch", ...m }),
    },
    stop(error) {
      if (!log) return false;
      log.write(stopLine(error));
      log.close();
      return true;
    },
    end(iterations, seconds) {
      open().write({ kind: "end", iterations, seconds });
      open().close();
    },
  };
}
