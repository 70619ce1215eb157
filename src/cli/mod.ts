/** The `gradlab` command-line framework: commands, flags, usage, progress. */
export { type Command, type CommandContext, defineCommand, type GlobalOptions, type Output } from "./command.ts";
export { COMMANDS } from "./commands/mod.ts";
export {
  describeFlags,
  flagName,
  type FlagSpec,
  type FlagSpecs,
  type FlagType,
  type FlagValues,
  type ParsedArgs,
  parseFlags,
} from "./flags.ts";
export { GLOBAL_FLAGS } from "./global-flags.ts";
export { type CliOptions, commandUsage, mainUsage, runCli } from "./main.ts";
export { createProgress, formatDuration, type Progress, type ProgressOptions } from "./progress.ts";
export { UsageError } from "./usage-error.ts";
