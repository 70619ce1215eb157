/**
 * Reruns experiments and compares them with their golden fixtures (quick profiles by default).
 *
 *   bun scripts/verify-fixtures.ts [--only E1,E6] [--profile quick|full] [--backend wasm]
 *   deno run -A scripts/verify-fixtures.ts …
 *
 * The same as `gradlab fixtures verify …`; exits 1 when a fixture is missing or differs.
 */
import process from "node:process";
import { fixturesCommand } from "../src/cli/commands/fixtures.ts";
import { runCli } from "../src/cli/mod.ts";

process.exitCode = await runCli(["fixtures", "verify", ...process.argv.slice(2)], { commands: [fixturesCommand] });
