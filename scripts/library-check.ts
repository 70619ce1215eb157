/**
 * gradlab as a user gets it: packs the npm package, checks what the tarball holds, installs it
 * with tfjs into a temporary project outside the repository, and runs the user test of
 * examples/library/ (a user-written activation and a user-built layer, checked with the
 * exported laws: the right ones pass, the wrong ones fail with a counterexample) under Node,
 * Bun and Deno, each with its own test runner (node --test, bun test, deno test). It also
 * checks that one copy of tfjs is installed and that no kernel is registered twice.
 *
 *   bun scripts/library-check.ts [--keep] [--no-build]
 *
 * Needs the npm registry, or npm's cache holding the tfjs of package.json's devDependencies
 * (`npm ci` fills it); about 2–3 minutes on 2 cores. --keep leaves the temporary project for a
 * look; --no-build packs the dist/ already built.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { localBin } from "./_internals/local-bin.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The tfjs the repository develops against (package.json's devDependencies), installed beside the package as a user would. */
const TFJS_VERSION: string = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).devDependencies["@tensorflow/tfjs"];

/** Files the tarball must hold. */
export const REQUIRED_FILES = [
  "package.json", "README.md", "mod.ts", "bin/gradlab.js", "src/cli.ts", "dist/mod.js", "dist/mod.d.ts", "docs/library.md",
  // the source experiments are data the library reads when it loads (src/experiments/builtin.ts);
  // package.json ships them as experiments/*.json
  ...readdirSync(join(ROOT, "experiments")).filter((f) => f.endsWith(".json")).map((f) => `experiments/${f}`),
];

/** What may be in the tarball at all: the library (sources and built), its experiment files, the CLI's launcher, the user docs. */
const ALLOWED = [
  /^(package\.json|README\.md|LICENSE|mod\.ts|bin\/gradlab\.js|docs\/library\.md)$/,
  /^experiments\/[a-z0-9-.]+\.json$/,
  /^(src|properties)\/.+\.ts$/,
  /^dist\/(mod|src\/.+|properties\/.+)\.(js|d\.ts)$/,
];

/**
 * What is wrong with a tarball's file list (empty when nothing): a required file missing, a
 * file that is not the library's (tests, fixtures, scripts, build leftovers), or a shipped
 * source without its built JavaScript and declarations (a stale or partial dist/).
 *
 * @example
 * packProblems(["package.json", "src/x.test.ts"]); // ["README.md is missing", …, "src/x.test.ts should not be packed"]
 */
export function packProblems(files: readonly string[], options: { built?: boolean } = {}): string[] {
  const built = options.built ?? true;
  const have = new Set(files);
  const problems = REQUIRED_FILES.filter((f) => (built || !f.startsWith("dist/")) && !have.has(f)).map((f) => `${f} is missing`);
  for (const f of files) {
    if (/\.test\.|(^|\/)_?fixtures?\/.*\.json$/.test(f) || !ALLOWED.some((re) => re.test(f))) problems.push(`${f} should not be packed`);
  }
  if (built) {
    for (const f of files) {
      const m = /^((?:src|properties)\/.+)\.ts$/.exec(f);
      if (!m || f.endsWith(".d.ts")) continue; // a declaration file is not compiled
      for (const out of [`dist/${m[1]}.js`, `dist/${m[1]}.d.ts`]) if (!have.has(out)) problems.push(`${out} is missing (for ${f})`);
    }
  }
  return problems;
}

/** Runs a command, returning its exit code and output (stdout and stderr together). */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): { code: number; output: string } {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? 1, output: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? `\n${r.error.message}` : ""}` };
}

/** The npm file list of `npm pack --dry-run` in the repository (no build). */
export function packedFiles(): string[] {
  const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm pack --dry-run failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
}

/** One runtime's run of the user test: the command, and what its output must show. */
interface RuntimeRun {
  runtime: string;
  command: string;
  args: string[];
  passed: RegExp;
}

const RUNS: RuntimeRun[] = [
  { runtime: "node", command: process.env.NODE ?? "node", args: ["--test", "laws.test.mjs"], passed: /^# pass 4$/m },
  { runtime: "bun", command: localBin("bun"), args: ["test", "./laws.test.mjs"], passed: /^\s*4 pass$/m },
  { runtime: "deno", command: localBin("deno"), args: ["test", "-A", "laws.test.mjs"], passed: /ok \| 4 passed/ },
];

async function main(): Promise<number> {
  const keep = process.argv.includes("--keep");
  const failures: string[] = [];
  if (!process.argv.includes("--no-build")) {
    console.log("building dist/ (npm run build)…");
    const b = run("npm", ["run", "build"], ROOT);
    if (b.code !== 0) throw new Error(`npm run build failed:\n${b.output}`);
  }
  const project = mkdtempSync(join(tmpdir(), "gradlab-user-"));
  const r = spawnSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", project], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
  const pack = (JSON.parse(r.stdout) as { filename: string; files: { path: string }[]; size: number }[])[0];
  const problems = packProblems(pack.files.map((f) => f.path));
  console.log(`packed ${pack.filename}: ${pack.files.length} files, ${(pack.size / 1e6).toFixed(2)} MB`);
  failures.push(...problems.map((p) => `tarball: ${p}`));

  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "gradlab-user", private: true, type: "module" }, null, 2));
  for (const f of ["my-net.mjs", "laws.test.mjs"]) copyFileSync(join(ROOT, "examples", "library", f), join(project, f));
  console.log(`installing it with @tensorflow/tfjs ${TFJS_VERSION} and tfjs-backend-wasm into ${project}…`);
  const install = run("npm", [
    "install", "--no-audit", "--no-fund", "--prefer-offline", join(project, pack.filename),
    `@tensorflow/tfjs@${TFJS_VERSION}`, `@tensorflow/tfjs-backend-wasm@${TFJS_VERSION}`,
  ], project);
  if (install.code !== 0) throw new Error(`npm install failed:\n${install.output}`);

  // One tfjs: the peers resolve to the user's copies, so no second tfjs-core sits under gradlab.
  const nested = join(project, "node_modules", "gradlab", "node_modules", "@tensorflow");
  if (existsSync(nested)) failures.push(`a second copy of tfjs was installed under gradlab (${nested})`);
  const cores = run("npm", ["ls", "@tensorflow/tfjs-core", "--all", "--parseable"], project).output.trim().split("\n").filter((l) => l.includes("tfjs-core"));
  if (new Set(cores).size !== 1) failures.push(`expected one @tensorflow/tfjs-core, npm ls found:\n${cores.join("\n")}`);

  // The control: a second instance of a backend module does register every kernel twice, and
  // the warning count below sees it (173 "already registered" for tfjs-backend-cpu 4.22.0).
  const twice = "const p = require.resolve('@tensorflow/tfjs-backend-cpu'); require(p); delete require.cache[p]; require(p);";
  const control = run(process.env.NODE ?? "node", ["-e", twice], project).output.match(/already registered/g)?.length ?? 0;
  console.log(`control: a second tfjs-backend-cpu instance gives ${control} "already registered" warnings`);
  if (control === 0) failures.push("the control registered tfjs-backend-cpu twice but no warning was counted: the check below cannot see one");

  for (const rr of RUNS) {
    const started = performance.now();
    const out = run(rr.command, rr.args, project);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const registeredTwice = out.output.match(/already registered/g)?.length ?? 0;
    const counterexamples = out.output.match(/counterexample \(shrunk \d+ times\)/g)?.length ?? 0;
    const ok = out.code === 0 && rr.passed.test(out.output) && registeredTwice === 0 && counterexamples === 2;
    console.log(`${rr.runtime}: ${ok ? "ok" : "FAILED"} — exit ${out.code}, ${counterexamples} counterexamples printed, ` +
      `${registeredTwice} "already registered" warnings, ${seconds} s`);
    if (!ok) failures.push(`${rr.runtime} (${[rr.command, ...rr.args].join(" ")}):\n${out.output.slice(-4000)}`);
  }

  if (failures.length > 0) {
    for (const f of failures) console.error(`\n${f}`);
    console.error(`\nthe temporary project is kept: ${project}`);
    return 1;
  }
  if (keep) console.log(`the temporary project is kept: ${project}`);
  else rmSync(project, { recursive: true, force: true });
  console.log("gradlab works as a library under Node, Bun and Deno");
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exit(await main());
}
