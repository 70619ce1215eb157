/**
 * `npm test`: the type-checks, then the whole suite under Bun, then under Deno.
 *
 *   bun scripts/test-all.ts [PATH_REGEX]
 *
 * The type-checks (`tsc --noEmit`, and `deno check` of mod.ts and the CLI) count as one test each; each runtime's run counts what
 * scripts/test.ts reports (a run that crashes before its summary counts as one failure).
 * Prints each stage's counts and ends with one combined line `N passed, N failed`
 * (`, N skipped` when some were). Exits 1 when anything failed.
 *
 * GRADLAB_TEST_RUNTIMES=bun,deno picks the runtimes (default both); GRADLAB_TEST_PROFILE
 * passes through to the suites.
 */
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { localBin } from "./_internals/local-bin.ts";

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

const root = fileURLToPath(new URL("..", import.meta.url));
const SUMMARY = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/gm;

/** Runs a command in the repository root, echoing its output, and returns its exit code and stdout. */
function run(command: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      stdout += chunk.toString();
    });
    child.on("error", (error) => {
      console.error(`could not start ${command}: ${error.message}`);
      resolve({ code: 127, stdout });
    });
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout }));
  });
}

/** The counts from the last summary line of a suite run; a crash without one is one failure. */
function countsOf(stdout: string, code: number): Counts {
  const last = [...stdout.matchAll(SUMMARY)].at(-1);
  if (!last) return { passed: 0, failed: 1, skipped: 0 };
  const counts = { passed: Number(last[1]), failed: Number(last[2]), skipped: Number(last[3] ?? 0) };
  // Tests all passed but the process still failed (e.g. crashed while exiting): count it.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

/** A stage that is one check (a type-check): passed when it exits 0. */
function oneCheck(code: number): Counts {
  return code === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
}

function line({ passed, failed, skipped }: Counts): string {
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
}

const filter = process.argv.slice(2);
const runtimes = (process.env.GRADLAB_TEST_RUNTIMES ?? "bun,deno").split(",").map((r) => r.trim());
const stages: Array<{ name: string; go: () => Promise<Counts> }> = [{
  name: "type-check (tsc --noEmit)",
  go: async () => {
    const { code } = await run(localBin("tsc"), ["--noEmit", "-p", "tsconfig.json"]);
    return oneCheck(code);
  },
}, {
  // Deno's checker is stricter about some npm packages' typings than tsc (ajv's default export):
  // the library (mod.ts, what JSR publishes) and the CLI must pass it too.
  name: "type-check (deno check mod.ts src/cli.ts)",
  go: async () => {
    const { code } = await run(localBin("deno"), ["check", "mod.ts", "src/cli.ts"]);
    return oneCheck(code);
  },
}];
for (const runtime of runtimes) {
  if (runtime === "bun") {
    stages.push({ name: "bun", go: async () => {
      const { code, stdout } = await run(localBin("bun"), ["scripts/test.ts", ...filter]);
      return countsOf(stdout, code);
    } });
  } else if (runtime === "deno") {
    stages.push({ name: "deno", go: async () => {
      const { code, stdout } = await run(localBin("deno"), ["run", "-A", "--v8-flags=--expose-gc", "scripts/test.ts", ...filter]);
      return countsOf(stdout, code);
    } });
  } else {
    console.error(`GRADLAB_TEST_RUNTIMES: expected a list of bun and deno, got ${JSON.stringify(runtime)}`);
    process.exit(2);
  }
}

const results: Array<[string, Counts]> = [];
for (const stage of stages) {
  console.log(`\n=== ${stage.name} ===`);
  results.push([stage.name, await stage.go()]);
}
const total = results.reduce<Counts>(
  (a, [, c]) => ({ passed: a.passed + c.passed, failed: a.failed + c.failed, skipped: a.skipped + c.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log("\n=== summary ===");
for (const [name, counts] of results) console.log(`${name}: ${line(counts)}`);
console.log(line(total));
process.exitCode = total.failed > 0 ? 1 : 0;
