/**
 * A `gradlab` command: its name, one line of help, its flags and an async handler. Each
 * command lives in its own file under src/cli/commands/ and is listed in commands/mod.ts.
 */
import type { BackendInfo } from "../backend/mod.ts";
import type { FlagSpecs, FlagValues } from "./flags.ts";

/** Where a command writes: process.stdout/stderr in the CLI, a buffer in tests. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The flags every command accepts, wherever they appear on the line. */
export interface GlobalOptions {
  /** --backend NAME (GRADLAB_BACKEND applies when absent; see useBackend), or "all" for commands that allow it */
  backend?: string;
  /** --seed N */
  seed?: number;
}

/** What a handler gets. */
export interface CommandContext<S extends FlagSpecs> {
  flags: FlagValues<S>;
  /** positional arguments after the command name */
  args: string[];
  /** the whole command line after `gradlab`, as given (for records of how a result was made) */
  argv: readonly string[];
  global: GlobalOptions;
  stdout: Output;
  /** for diagnostics and progress bars, so stdout stays clean for --json */
  stderr: Output;
  /** Chooses and activates the backend from --backend / GRADLAB_BACKEND / the default order (once). */
  useBackend(): Promise<BackendInfo>;
  /** The --seed value, or a fresh seed that is announced on stderr so the run can be repeated (once). */
  seed(): number;
}

/** A command as registered in commands/mod.ts. */
export interface Command<S extends FlagSpecs = FlagSpecs> {
  name: string;
  /** one line, shown in `gradlab --help` */
  summary: string;
  /** positional arguments as shown in usage, e.g. "EXPERIMENT..." */
  args?: string;
  /** how many positional arguments it takes, [min, max] (default [0, 0]) */
  arity?: readonly [number, number];
  flags: S;
  /** accepts `--backend all` (the command then runs on every available backend itself) */
  allBackends?: boolean;
  /** Runs the command; returns an exit code (default 0). Throw a UsageError for exit code 2. */
  run(ctx: CommandContext<S>): Promise<number | void>;
}

/**
 * Declares a command with its flag values typed from `flags`.
 *
 * @example
 * export const hello = defineCommand({
 *   name: "hello",
 *   summary: "say hello",
 *   flags: { loud: { type: "boolean", description: "shout" } },
 *   async run({ flags, stdout }) {
 *     stdout.write(flags.loud ? "HELLO\n" : "hello\n");
 *   },
 * });
 */
export function defineCommand<S extends FlagSpecs>(command: Command<S>): Command<S> {
  return command;
}
