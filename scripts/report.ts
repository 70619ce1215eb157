/**
 * Writes the report: runs the property suites and E1, draws every experiment with data.
 *
 *   bun scripts/report.ts [--quick] [--from-fixtures] [--out DIR] [--properties FILE] [--no-browser]
 *   deno run -A scripts/report.ts …
 *
 * The same as `gradlab report …` and `npm start`.
 */
import process from "node:process";
import { reportCommand } from "../src/cli/commands/report.ts";
import { runCli } from "../src/cli/mod.ts";

process.exitCode = await runCli(["report", ...process.argv.slice(2)], { commands: [reportCommand] });
