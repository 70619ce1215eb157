/**
 * The `gradlab` command: `bun src/cli.ts COMMAND …`, `deno run -A src/cli.ts COMMAND …`,
 * or `npx gradlab COMMAND …` (bin/gradlab.js). Commands live in src/cli/commands/.
 */
import process from "node:process";
import { runCli } from "./cli/mod.ts";

if (import.meta.main) process.exitCode = await runCli(process.argv.slice(2));
