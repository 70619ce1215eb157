/**
 * Benchmark entry point, the same as `gradlab bench …`:
 *   bun scripts/bench.ts [--backend NAME] [--steps N] [--full-e1] [--json FILE]
 *   deno run -A scripts/bench.ts …
 */
import process from "node:process";
import { runCli } from "../src/cli/mod.ts";

process.exitCode = await runCli(["bench", ...process.argv.slice(2)]);
