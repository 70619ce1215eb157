/**
 * The test runner, for Bun and Deno alike:
 *
 *   bun scripts/test.ts [PATH_REGEX]            deno run -A scripts/test.ts [PATH_REGEX]
 *
 * Runs every `*.test.ts` under src/, properties/, fixtures/, bin/, scripts/ and examples/ (those whose path from the
 * repository root matches PATH_REGEX, when given) in this one process with uvu, and ends
 * with the line `N passed, N failed` (`, N skipped` when some were). Exits 1 on any failure,
 * 2 on bad arguments. A file that fails to load, or registers no tests (no `test.run()`),
 * counts as one failed test; so does a PATH_REGEX that matches no file.
 *
 * GRADLAB_TEST_PROFILE=ci|thorough (default ci) is checked here and left in the environment
 * for suites that size their work by it.
 */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import process from "node:process";
import { setTimeout } from "node:timers";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Where test files live, relative to the repository root. */
const TEST_ROOTS = ["src", "properties", "fixtures", "bin", "scripts", "examples"];
const PROFILES = ["ci", "thorough"];
const USAGE = "usage: scripts/test.ts [--list] [PATH_REGEX]   (env GRADLAB_TEST_PROFILE=ci|thorough)";

/** What one uvu runner returns: [errors or true, passed, skipped, total]. */
type RunnerResult = [errors: string | true, passed: number, skipped: number, total: number];
type Runner = () => Promise<RunnerResult>;
type QueueGroup = [name: string | null, ...runners: Runner[]];

interface UvuGlobals {
  UVU_DEFER?: number;
  UVU_INDEX?: number;
  UVU_QUEUE?: QueueGroup[];
}

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

const root = fileURLToPath(new URL("..", import.meta.url));

/** Every `*.test.ts` below `dir`, skipping node_modules and dot-directories. */
function findTestFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // a test root that does not exist yet
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === "node_modules" || entry.name.startsWith(".") ? [] : findTestFiles(path);
    }
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** A failure as uvu prints it. */
function failureText(message: string): string {
  return `  FAIL  ${message}\n`;
}

/** A runner that reports one failed test, so load errors show up in uvu's output and counts. */
function failure(message: string): Runner {
  return () => Promise.resolve([failureText(message), 0, 0, 1]);
}

/**
 * Runs a uvu runner, swallowing what it prints when it ran no tests: the flush runner of a
 * file that did call `test.run()` is empty and would print a stray "(0 / 0)".
 */
async function quietWhenEmpty(run: Runner): Promise<RunnerResult> {
  const stdout = process.stdout;
  const write = stdout.write;
  const held: unknown[] = [];
  stdout.write = ((chunk: unknown) => (held.push(chunk), true)) as typeof stdout.write;
  let result: RunnerResult;
  try {
    result = await run();
  } finally {
    stdout.write = write;
  }
  if (result[3] > 0) for (const chunk of held) stdout.write(chunk as string);
  return result;
}

function exitWithUsage(message: string): never {
  console.error(`scripts/test.ts: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(args: string[]): { filter: RegExp | null; list: boolean } {
  let filter: RegExp | null = null;
  let list = false;
  for (const arg of args) {
    if (arg === "--list") list = true;
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith("-")) exitWithUsage(`unknown flag ${arg}`);
    else if (filter) exitWithUsage(`expected one PATH_REGEX, got a second: ${arg}`);
    else {
      try {
        filter = new RegExp(arg);
      } catch (error) {
        exitWithUsage(`PATH_REGEX: ${(error as Error).message}`);
      }
    }
  }
  return { filter, list };
}

async function main(): Promise<number> {
  const { filter, list } = parseArgs(process.argv.slice(2));
  const profile = process.env.GRADLAB_TEST_PROFILE || "ci";
  if (!PROFILES.includes(profile)) {
    exitWithUsage(`GRADLAB_TEST_PROFILE: expected ${PROFILES.join(" or ")}, got ${JSON.stringify(profile)}`);
  }
  process.env.GRADLAB_TEST_PROFILE = profile;

  const files = TEST_ROOTS.flatMap((dir) => findTestFiles(join(root, dir)))
    .map((path) => relative(root, path).split("\\").join("/"))
    .filter((path) => !filter || filter.test(path))
    .sort();
  if (list) {
    for (const file of files) console.log(file);
    return 0;
  }
  if (files.length === 0) {
    console.error(`no test files${filter ? ` match ${filter}` : ""} under ${TEST_ROOTS.join(", ")}`);
    console.log("0 passed, 1 failed");
    return 1;
  }

  // uvu decides at its first import whether to run tests itself; UVU_DEFER makes it wait
  // for exec(), so every file's tests run in order, grouped under the file's name.
  const g = globalThis as UvuGlobals;
  g.UVU_DEFER = 1;
  const uvu = await import("uvu");
  const queue = (g.UVU_QUEUE ??= []);
  const failedToLoad = new Set<string>();
  for (const [i, file] of files.entries()) {
    g.UVU_INDEX = i;
    queue.push([file]);
    try {
      await import(pathToFileURL(join(root, file)).href);
    } catch (error) {
      const detail = error instanceof Error ? error.stack ?? error.message : String(error);
      queue[i]!.push(failure(`${file} failed to load: ${detail}`));
      failedToLoad.add(file);
    }
    // uvu's default `test` is shared by every file: run what this file left in it (tests
    // registered without `test.run()`, or before a load error) here, not in the next file.
    uvu.test.run();
  }

  const perFile = new Map<string, Tally>();
  for (const group of queue) {
    const file = group[0] ?? "(unnamed)";
    const tally: Tally = { passed: 0, failed: 0, skipped: 0 };
    perFile.set(file, tally);
    const count = ([, passed, skipped, total]: RunnerResult) => {
      tally.passed += passed;
      tally.failed += total - passed; // counts a test as failed also when a before hook threw
      tally.skipped += skipped;
    };
    const last = group.length - 1; // the flush runner pushed above
    for (let j = 1; j < last; j++) {
      const run = group[j] as Runner;
      group[j] = async () => {
        const result = await run();
        count(result);
        return result;
      };
    }
    const flush = group[last] as Runner;
    group[last] = async () => {
      const ranBefore = tally.passed + tally.failed + tally.skipped > 0;
      let result = await quietWhenEmpty(flush);
      const [errors, passed, skipped, total] = result;
      if (total > 0 && !failedToLoad.has(file)) {
        const message = failureText(`${file} registered tests but never called test.run()`);
        result = [(errors === true ? "" : errors) + message, passed, skipped, total + 1];
      } else if (total === 0 && !ranBefore) {
        result = [failureText(`${file} registered no tests (missing test.run()?)`), 0, 0, 1];
      }
      count(result);
      return result;
    };
  }

  await uvu.exec();

  const sum = [...perFile.values()].reduce(
    (a, t) => ({ passed: a.passed + t.passed, failed: a.failed + t.failed, skipped: a.skipped + t.skipped }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  for (const [file, t] of perFile) if (t.failed) console.log(`failed: ${file} (${t.failed})`);
  console.log(`${sum.passed} passed, ${sum.failed} failed${sum.skipped ? `, ${sum.skipped} skipped` : ""}`);
  return sum.failed > 0 ? 1 : 0;
}

process.exitCode = await main();
// A test that leaves a handle open (a timer, a GPU device) must not hang CI.
setTimeout(() => {
  console.error("scripts/test.ts: something kept the process alive after the tests; exiting");
  process.exit();
}, 5000).unref();
