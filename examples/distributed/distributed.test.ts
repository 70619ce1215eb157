/**
 * The three distributed examples, parsed (YAML with the `yaml` package) and driven here: the
 * same commands each engine would run, as N local processes that get their shard the way the
 * engine gives it (the matrix in --shard, JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID), then
 * the merge step. `npx gradlab` is a shim on PATH that runs src/cli.ts under this runtime.
 * To stay within seconds the runs are 2 shards of 2 seeds on E1's quick profile (the
 * examples' own sizes: 4 shards of 8 seeds): 6 shard processes and 3 merges in all.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse, parseAllDocuments } from "yaml";
import { readSeedsResult, readShard } from "../../src/seeds/mod.ts";
import { type Ended, REPO_ROOT, run, thisRuntime } from "../../src/testing/subprocess.ts";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const SHARDS = 2;
const SEEDS = "2";
const tmp = mkdtempSync(join(tmpdir(), "gradlab-distributed-"));

// `npx gradlab ARGS` → this runtime on src/cli.ts ARGS
const bin = join(tmp, "bin");
mkdirSync(bin);
const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
writeFileSync(join(bin, "npx"), `#!/bin/sh\n[ "$1" = gradlab ] && shift\nexec ${thisRuntime(join(REPO_ROOT, "src/cli.ts")).map(quote).join(" ")} "$@"\n`);
chmodSync(join(bin, "npx"), 0o755);

/** The environment of every process: no shard variables from outside, the shim first on PATH. */
function envWith(vars: Record<string, string>): Record<string, string | undefined> {
  const clear = ["JOB_COMPLETION_INDEX", "JOB_COMPLETIONS", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_STEP", "CI"];
  return { ...Object.fromEntries(clear.map((k) => [k, undefined])), PATH: `${bin}:${process.env.PATH}`, ...vars };
}

function ok(r: Ended, what: string): void {
  assert.ok(!r.timedOut && r.code === 0, `${what}: exit ${r.code}${r.timedOut ? " (timed out)" : ""}\n${r.stderr.slice(-2000)}`);
}

const dirOf = (name: string) => {
  const d = join(tmp, name);
  mkdirSync(d, { recursive: true });
  return d;
};

/** The merged results' text up to `provenance`: the three engines must agree byte for byte. */
const merged: Record<string, string> = {};
function checkMerged(engine: string, path: string): void {
  const result = readSeedsResult(path);
  assert.equal(result.perSeed.map((s) => s.seed), [0, 1], engine);
  assert.equal(result.provenance.shards?.map((s) => s.shard), ["0/2", "1/2"], engine);
  const text = readFileSync(path, "utf8");
  merged[engine] = text.slice(0, text.indexOf('"provenance"'));
}

/** One engine's commands as this test runs them: the shard processes, then the merge. */
interface Plan {
  shards: { argv: string[]; cwd: string; env: Record<string, string | undefined> }[];
  merge: { argv: string[]; cwd: string; env: Record<string, string | undefined> };
  /** what the engine's artifact handling does between the two (GitHub's download-artifact) */
  between?: () => void;
  result: string;
}

/** GitHub Actions: a matrix of shard jobs (--shard matrix.shard/strategy.job-total), a merge job on the artifacts. */
function githubPlan(): Plan {
  const wf = parse(readFileSync(join(HERE, "github-actions.yml"), "utf8"));
  assert.equal(wf.jobs.shard.strategy.matrix.shard, [0, 1, 2, 3]);
  assert.is(wf.jobs.merge.needs, "shard");
  const shardStep = wf.jobs.shard.steps.find((s: { run?: string }) => s.run?.includes("gradlab run"));
  const mergeStep = wf.jobs.merge.steps.find((s: { run?: string }) => s.run?.includes("gradlab merge"));
  const download = wf.jobs.merge.steps.find((s: { uses?: string }) => s.uses?.startsWith("actions/download-artifact"));
  assert.ok(shardStep && mergeStep && download, "a shard step, a merge step and an artifact download");
  assert.is(download.with["merge-multiple"], true);
  const work = dirOf("github");
  const env = envWith({ ...wf.env, SEEDS });
  const shards = Array.from({ length: SHARDS }, (_, shard) => {
    const script = shardStep.run.replaceAll("${{ matrix.shard }}", String(shard)).replaceAll("${{ strategy.job-total }}", String(SHARDS));
    assert.not.match(script, /\$\{\{/, "every expression is one the test knows");
    assert.match(script, new RegExp(`--shard "${shard}/${SHARDS}" --out "shard-${shard}.json"`));
    return { argv: ["bash", "-eo", "pipefail", "-c", script], cwd: work, env };
  });
  return {
    shards,
    // download-artifact with merge-multiple puts every shard-* artifact's files into one directory
    between() {
      const into = dirOf(join("github", download.with.path));
      for (let i = 0; i < SHARDS; i++) {
        assert.equal(readShard(join(work, `shard-${i}.json`)).shard, { index: i, count: SHARDS });
        copyFileSync(join(work, `shard-${i}.json`), join(into, `shard-${i}.json`));
      }
    },
    merge: { argv: ["bash", "-eo", "pipefail", "-c", mergeStep.run], cwd: work, env },
    result: join(work, "claims.json"),
  };
}

/** Kubernetes: an Indexed Job whose pods read JOB_COMPLETION_INDEX (JOB_COMPLETIONS = spec.completions), then a merge Job. */
function kubernetesPlan(): Plan {
  const docs = parseAllDocuments(readFileSync(join(HERE, "kubernetes-indexed-job.yaml"), "utf8")).map((d) => d.toJS());
  const jobs = docs.filter((d) => d.kind === "Job");
  const indexed = jobs.find((j) => j.spec.completionMode === "Indexed");
  const merge = jobs.find((j) => j !== indexed);
  assert.ok(indexed && merge, "an Indexed Job and a merge Job");
  const container = indexed.spec.template.spec.containers[0];
  const vars = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, String(e.value)]));
  assert.is(vars.JOB_COMPLETIONS, String(indexed.spec.completions), "JOB_COMPLETIONS must equal spec.completions");
  const mount: string = container.volumeMounts[0].mountPath;
  const work = dirOf("kubernetes");
  const results = dirOf(join("kubernetes", "results"));
  const local = (s: string) => s.replaceAll(mount, results);
  const shards = Array.from({ length: SHARDS }, (_, index) => {
    const env: Record<string, string> = { ...vars, SEEDS, JOB_COMPLETIONS: String(SHARDS), JOB_COMPLETION_INDEX: String(index) };
    // Kubernetes expands $(VAR) in command from the container's environment
    const argv = (container.command as string[]).map((a) => local(a.replace(/\$\(([A-Z_][A-Z0-9_]*)\)/g, (m, name: string) => env[name] ?? m)));
    assert.not.match(argv.join(" "), /\$\(/, "every $(VAR) is set");
    assert.not.match(argv.join(" "), /--shard/, "the pods take their shard from the environment");
    return { argv, cwd: work, env: envWith(env) };
  });
  const mergeArgv = (merge.spec.template.spec.containers[0].command as string[]).map(local);
  return { shards, merge: { argv: mergeArgv, cwd: work, env: envWith({}) }, result: join(results, "claims.json") };
}

/** Slurm: an array script (#SBATCH --array) whose tasks read SLURM_ARRAY_TASK_ID/COUNT, then the merge script. */
function slurmPlan(): Plan {
  const script = join(HERE, "slurm-array.sh");
  const array = /^#SBATCH --array=(\d+)-(\d+)$/m.exec(readFileSync(script, "utf8"));
  assert.ok(array, "an #SBATCH --array=A-B line");
  assert.is(Number(array[2]) - Number(array[1]) + 1, 4);
  assert.match(readFileSync(join(HERE, "slurm-merge.sh"), "utf8"), /gradlab merge results\/shard-\*\.json/);
  const work = dirOf("slurm");
  const shards = Array.from({ length: SHARDS }, (_, id) => ({
    argv: ["bash", script],
    cwd: work,
    env: envWith({ SEEDS, SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_COUNT: String(SHARDS), SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_MAX: String(SHARDS - 1) }),
  }));
  return { shards, merge: { argv: ["bash", join(HERE, "slurm-merge.sh")], cwd: work, env: envWith({}) }, result: join(work, "results", "claims.json") };
}

const PLANS = { github: githubPlan, kubernetes: kubernetesPlan, slurm: slurmPlan };

/** What a process runs: its argv, and the text of a script it hands to bash (Slurm's array script). */
function commandText(argv: string[]): string {
  return argv.map((a) => (a.endsWith(".sh") ? readFileSync(a, "utf8") : a)).join(" ");
}

test("each example parses, and its commands expand to gradlab run --seeds with the engine's shard, then gradlab merge", () => {
  for (const [engine, plan] of Object.entries(PLANS)) {
    const p = plan();
    assert.is(p.shards.length, SHARDS);
    for (const s of p.shards) assert.match(commandText(s.argv), /gradlab run [^\n]*--seeds /, `${engine}: a shard runs gradlab run … --seeds`);
    assert.match(commandText(p.merge.argv), /gradlab merge /, `${engine}: the merge runs gradlab merge`);
  }
});

// Driving the 6 processes and 3 merges takes ~15 s of CPU per runtime: they run once, under
// Bun. Under Deno the same CLI paths (run --seeds --shard, merge) are driven in-process by
// src/cli/commands/run-seeds.test.ts.
const drive = (globalThis as { Bun?: unknown }).Bun !== undefined ? test : test.skip;

for (const [engine, plan] of Object.entries(PLANS)) {
  drive(`${engine}: the shard processes run at once, each takes its share, and the merge judges all seeds`, async () => {
    const p = plan();
    (await Promise.all(p.shards.map((s) => run(s.argv, { cwd: s.cwd, env: s.env, timeoutMs: 120_000 })))).forEach((r, i) => ok(r, `${engine} shard ${i}`));
    p.between?.();
    ok(await run(p.merge.argv, { cwd: p.merge.cwd, env: p.merge.env, timeoutMs: 60_000 }), `${engine} merge`);
    checkMerged(engine, p.result);
  });
}

drive("the three engines' merged results are the same bytes (provenance aside)", () => {
  assert.equal(Object.keys(merged).sort(), ["github", "kubernetes", "slurm"]);
  assert.is(merged.kubernetes, merged.github);
  assert.is(merged.slurm, merged.github);
});

test.run();
