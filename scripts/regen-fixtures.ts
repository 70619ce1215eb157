/**
 * Rewrites the golden fixtures: every experiment, quick and full, by default (one command).
 *
 *   bun scripts/regen-fixtures.ts [--only E1,E6] [--profile quick|full] [--backend wasm] [--data-dir DIR]
 *   deno run -A scripts/regen-fixtures.ts …
 *
 * The same as `gradlab fixtures regen …`. Refuses in CI; keeps the old fixture when a run
 * fails, holds NaN, breaks its schema, or is a full profile computed on a subset.
 */
import process from "node:process";
import { fixturesCommand } from "../src/cli/commands/fixtures.ts";
import { runCli } from "../src/cli/mod.ts";

process.exitCode = await runCli(["fixtures", "regen", ...process.argv.slice(2)], { commands: [fixturesCommand] });
