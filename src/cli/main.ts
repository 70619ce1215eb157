/**
 * The `gradlab` command line: finds the command, parses its flags and the global ones,
 * and runs it. Exit codes: 0 ok, 1 the command failed (`gradlab: <message>`), 2 bad usage
 * (the message and the usage on stderr).
 */
import process from "node:process";
import { type BackendInfo, BACKEND_NAMES, isBackendName, useBackend } from "../backend/mod.ts";
import { checkSeed, freshSeed } from "../core/mod.ts";
import type { Command, CommandContext, GlobalOptions, Output } from "./command.ts";
import { COMMANDS } from "./commands/mod.ts";
import { checkOutputDirectory, checkOutputFile } from "../output/mod.ts";
import { describeFlags, flagName, type FlagSpecs, parseFlags } from "./flags.ts";
import { GLOBAL_FLAGS } from "./global-flags.ts";
import { UsageError } from "./usage-error.ts";

/** Where the CLI writes, and which commands it knows (tests pass their own). */
export interface CliOptions {
  stdout?: Output;
  stderr?: Output;
  commands?: readonly Command[];
}

/**
 * Runs the gradlab command line `argv` (without the runtime and script) and returns the
 * exit code; never calls process.exit.
 *
 * @example
 * process.exitCode = await runCli(["backends", "--json"]);
 */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<number> {
  const end = args.indexOf("--") === -1 ? args.length : args.indexOf("--");
  const argv = args.map((arg, i) => (arg === "-h" && i < end ? "--help" : arg));
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const commands = options.commands ?? COMMANDS;
  let command: Command | undefined;
  try {
    const at = findCommandName(argv);
    if (at === -1) {
      if (argv.slice(0, end).includes("--help")) {
        stdout.write(mainUsage(commands));
        return 0;
      }
      parseFlags(argv, GLOBAL_FLAGS); // reports a bad global flag before "no command"
      throw new UsageError("no command given");
    }
    const name = argv[at]!;
    command = commands.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}`);

    const rest = [...argv.slice(0, at), ...argv.slice(at + 1)];
    const specs: FlagSpecs = { ...GLOBAL_FLAGS, ...command.flags };
    const { flags, positionals } = parseFlags(rest, specs);
    if (flags.help) {
      stdout.write(commandUsage(command));
      return 0;
    }
    const [min, max] = command.arity ?? [0, 0];
    if (positionals.length < min || positionals.length > max) {
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      throw new UsageError(
        `${command.name}: expected ${expected} argument${max === 1 ? "" : "s"}` +
          `${command.args ? ` (${command.args})` : ""}, got ${positionals.length}` +
          (positionals.length ? `: ${positionals.join(" ")}` : ""),
      );
    }
    const global = globalOptions(flags, command.allBackends === true);
    checkOutputPaths(command, flags);
    const ctx = context(command, flags, positionals, global, stdout, stderr, args);
    return (await command.run(ctx)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`gradlab: ${error.message}\n\n${command ? commandUsage(command) : mainUsage(commands)}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    stderr.write(`gradlab: ${message}\n`);
    if (process.env.GRADLAB_DEBUG && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
    return 1;
  }
}

/** Index of the command name: the first argument that is neither a flag nor a global flag's value. */
function findCommandName(argv: readonly string[]): number {
  const takesValue = new Set(
    Object.entries(GLOBAL_FLAGS).filter(([, s]) => s.type !== "boolean").map(([k]) => flagName(k)),
  );
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") return i + 1 < argv.length ? i + 1 : -1;
    if (!arg.startsWith("-") || arg === "-") return i;
    if (takesValue.has(arg)) i++; // "--seed 7": skip the value
  }
  return -1;
}

/** Every output path a command's flags name, checked before the command does any work. */
function checkOutputPaths(command: Command, flags: Record<string, unknown>): void {
  for (const [key, spec] of Object.entries(command.flags)) {
    const value = flags[key];
    if (!spec.output || typeof value !== "string") continue;
    if (spec.path === "directory") checkOutputDirectory(value, flagName(key));
    else checkOutputFile(value, flagName(key), { stdout: spec.output === "stdout" });
  }
}

function globalOptions(flags: Record<string, unknown>, allBackends: boolean): GlobalOptions {
  const global: GlobalOptions = {};
  const backend = flags.backend as string | undefined;
  if (backend !== undefined) {
    if (!isBackendName(backend) && !(allBackends && backend === "all")) {
      const names = allBackends ? [...BACKEND_NAMES, "all"] : BACKEND_NAMES;
      throw new UsageError(`--backend: expected one of ${names.join(", ")}, got ${JSON.stringify(backend)}`);
    }
    global.backend = backend;
  }
  const seed = flags.seed as number | undefined;
  if (seed !== undefined) {
    try {
      global.seed = checkSeed(seed, "--seed");
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  return global;
}

function context(
  command: Command,
  flags: Record<string, unknown>,
  args: string[],
  global: GlobalOptions,
  stdout: Output,
  stderr: Output,
  argv: readonly string[],
): CommandContext<FlagSpecs> {
  let backend: Promise<BackendInfo> | undefined;
  let seed = global.seed;
  const own = Object.fromEntries(Object.keys(command.flags).map((key) => [key, flags[key]]));
  return {
    flags: own as CommandContext<FlagSpecs>["flags"],
    args,
    argv,
    global,
    stdout,
    stderr,
    useBackend: () => (backend ??= useBackend(global.backend)),
    seed() {
      if (seed === undefined) {
        seed = freshSeed();
        stderr.write(`gradlab: seed ${seed} (repeat with --seed ${seed})\n`);
      }
      return seed;
    },
  };
}

/**
 * The help for `gradlab` itself: commands and global flags.
 *
 * @example
 * process.stdout.write(mainUsage(COMMANDS));
 */
export function mainUsage(commands: readonly Command[]): string {
  const width = Math.max(0, ...commands.map((c) => c.name.length)) + 2;
  return [
    "usage: gradlab COMMAND [flags]",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "global flags (before or after the command):",
    ...describeFlags(GLOBAL_FLAGS),
    "",
    "`gradlab COMMAND --help` describes one command.",
    "",
  ].join("\n");
}

/**
 * The help for one command: its usage line, summary, own flags and the global flags.
 *
 * @example
 * process.stdout.write(commandUsage(backends));
 */
export function commandUsage(command: Command): string {
  const own = describeFlags(command.flags);
  return [
    `usage: gradlab ${command.name}${own.length ? " [flags]" : ""}${command.args ? ` ${command.args}` : ""}`,
    "",
    command.summary,
    ...(own.length ? ["", "flags:", ...own] : []),
    "",
    "global flags:",
    ...describeFlags(GLOBAL_FLAGS),
    "",
  ].join("\n");
}
