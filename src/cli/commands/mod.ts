/**
 * The command table. To add a command: write src/cli/commands/<name>.ts exporting
 * `defineCommand({ name, summary, flags, run })`, and list it here (the order is the help's).
 */
import type { Command } from "../command.ts";
import { backends } from "./backends.ts";
import { fixturesCommand } from "./fixtures.ts";
import { reportCommand } from "./report.ts";
import { runCommand } from "./run.ts";
import { trainCommand } from "./train.ts";
import { benchCommand } from "./bench.ts";
import { propsCommand } from "./props.ts";
import { plotCommand } from "./plot.ts";
import { checkCommand } from "./check.ts";
import { schemaCommand } from "./schema.ts";
import { mergeCommand } from "./merge.ts";

export const COMMANDS: readonly Command[] = [
  backends,
  trainCommand,
  plotCommand,
  checkCommand,
  runCommand,
  mergeCommand,
  fixturesCommand,
  reportCommand,
  benchCommand,
  propsCommand,
  schemaCommand,
];
