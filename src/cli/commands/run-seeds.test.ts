/**
 * `run --seeds`, `--shard`, `merge`, `--strict` and `--junit` through the command line. One
 * test trains (E1's quick profile, 2 seeds whole and as 2 shards: 4 seed-runs, a few seconds);
 * the others stop before training or use synthetic shard files.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { seedsResultProblems, seedsShardOf, seedsText } from "../../seeds/mod.ts";
import { SYNTHETIC_CLAIMS, syntheticIdentity, syntheticProvenance, syntheticSeed } from "../../seeds/testing.ts";
import type { Output } from "../command.ts";
import { runCli } from "../main.ts";
import { seedsOfFlags } from "./run-seeds.ts";
import { REPO_ROOT } from "../../testing/subprocess.ts";

function buffer(): Output & { text: string } {
  const out = { text: "", write: (s: string) => void (out.text += s) };
  return out;
}

async function cli(args: string[]) {
  const stdout = buffer(), stderr = buffer();
  const code = await runCli(args, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const dir = mkdtempSync(join(tmpdir(), "gradlab-seeds-"));
/** A file's text up to its `provenance` member: what a merge must reproduce byte for byte. */
const head = (path: string) => {
  const text = readFileSync(path, "utf8");
  return text.slice(0, text.indexOf('"provenance"'));
};

test("run --seeds 2 prints k of 2, the interval, margins and verdicts with the rule once; --shard 0/2 + 1/2 and merge give the same bytes", async () => {
  const e1 = ["run", "fashion-sigmoid-vs-relu", "--profile", "quick", "--backend", "wasm", "--seeds", "2"];
  const whole = join(dir, "whole.json"), xml = join(dir, "whole.xml");
  const r = await cli([...e1, "--out", whole, "--junit", xml]);
  assert.is(r.code, 0, r.stderr);
  // 2 of 2: the Clopper–Pearson lower bound is 0.025^(1/2) = 0.158, below 1/2: two seeds can never decide
  assert.match(r.stdout, /relu-beats-sigmoid-final +2 of 2 +\[0\.158, 1\.000\] +\+0\.\d+ \[\+0\.\d+, \+0\.\d+\] +inconclusive/);
  assert.is(r.stdout.split("verdict rule:").length, 2, "the rule is printed once");
  assert.match(r.stdout, /at least 6 seeds before either/);
  assert.match(r.stderr, /2 seeds from base seed 0 \(0\.\.1\) \(from the experiment's default seed; change with --seed N\)/);
  assert.equal(seedsResultProblems(JSON.parse(readFileSync(whole, "utf8"))), []);
  assert.match(readFileSync(xml, "utf8"), /<skipped message="inconclusive: held on 2 of 2 seeds/);

  const s0 = join(dir, "s0.json"), s1 = join(dir, "s1.json"), merged = join(dir, "merged.json");
  const a = await cli([...e1, "--shard", "0/2", "--out", s0]);
  assert.is(a.code, 0, a.stderr);
  assert.match(a.stderr, /shard 0\/2 \(from --shard 0\/2\): seeds 0\n/);
  assert.not.match(a.stdout, /inconclusive|SUPPORTED|REFUTED/);
  assert.is((await cli([...e1, "--shard", "1/2", "--out", s1])).code, 0);
  const m = await cli(["merge", s1, s0, "--out", merged]);
  assert.is(m.code, 0, m.stderr);
  assert.ok(head(merged).length > 1000);
  assert.is(head(merged), head(whole));
  assert.match(readFileSync(merged, "utf8"), /"shards": \[/);
});

test("bad --seeds and --shard are usage errors before any work; so are a shard without --out and --strict or --junit on a shard", async () => {
  const e1 = ["run", "E1", "--backend", "wasm"];
  const cases: [string[], RegExp][] = [
    [["--shard", "0/2"], /--shard splits the seeds of --seeds N\|A\.\.B across processes: give --seeds too/],
    [["--seeds", "many"], /--seeds: expected a count N or a range A\.\.B of seeds, got "many"/],
    [["--seeds", "4", "--shard", "2/2", "--out", join(dir, "x.json")], /--shard 2\/2: shard index 2 is not below the count 2/],
    [["--seeds", "4", "--shard", "1/2"], /--shard 1\/2: a shard writes a shard file for `gradlab merge`: give --out FILE/],
    [["--seeds", "4", "--shard", "1/2", "--out", join(dir, "x.json"), "--strict"], /--strict and --junit judge the claims, which happens when the shards are merged/],
    [["--seeds", "2", "--shard", "0/3", "--out", join(dir, "x.json")], /--shard 0\/3: 2 seeds cannot be split into 3 shards/],
    [["--seeds", "2", "--out", "-", "--junit", "-"], /--out and --junit cannot both be standard output/],
    [["--seed-runs", "apart"], /--seed-runs says how the seeds of --seeds N\|A\.\.B train: give --seeds too/],
    [["--seeds", "2", "--seed-runs", "together"], /--seed-runs/],
  ];
  for (const [args, message] of cases) {
    const r = await cli([...e1, ...args]);
    assert.is(r.code, 2, args.join(" "));
    assert.match(r.stderr, message, args.join(" "));
  }
});

test("--seed-runs population trains each run of all the seeds as one population and says so; the result is that of apart, bitwise on wasm", async () => {
  const file = join(REPO_ROOT, "examples", "experiments", "sigmoid-depth.json");
  const base = ["run", file, "--backend", "wasm", "--seeds", "2"];
  const together = join(dir, "together.json"), apart = join(dir, "apart.json");
  const a = await cli([...base, "--seed-runs", "population", "--out", together]);
  assert.is(a.code, 0, a.stderr);
  assert.match(a.stderr, /trained: population engine \(workers\): each training run of the 2 seeds as one population\n/);
  const b = await cli([...base, "--seed-runs", "apart", "--out", apart]);
  assert.is(b.code, 0, b.stderr);
  assert.match(b.stderr, /trained: one training run per seed, as alone\n/);
  assert.not.match(b.stderr, /population engine/);
  assert.is(head(together), head(apart));
  assert.match(readFileSync(together, "utf8"), /"trainedBy": "population engine \(workers\)/);
});

test("the array-job variables give the shard unless --shard is given; a bad one is an error naming it", () => {
  const flags = { seeds: "8", out: "o.json", strict: false };
  assert.equal(seedsOfFlags(flags, 0, { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "2" })?.seeds, [4, 5, 6, 7]);
  assert.equal(seedsOfFlags({ ...flags, shard: "0/2" }, 0, { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "2" })?.seeds, [0, 1, 2, 3]);
  assert.equal(seedsOfFlags(flags, 10, {})?.seeds, [10, 11, 12, 13, 14, 15, 16, 17]);
  assert.is(seedsOfFlags({ strict: false }, 0, { JOB_COMPLETION_INDEX: "1" }), undefined); // one seed: the variables do not apply
  assert.throws(() => seedsOfFlags(flags, 0, { JOB_COMPLETION_INDEX: "1" }), /JOB_COMPLETION_INDEX is set but JOB_COMPLETIONS is not/);
  assert.throws(() => seedsOfFlags({ ...flags, out: undefined }, 0, { JOB_COMPLETION_INDEX: "1", JOB_COMPLETIONS: "2" }), /JOB_COMPLETION_INDEX=1, JOB_COMPLETIONS=2: a shard writes a shard file/);
});

test("merge --strict exits 1 naming the refuted claims, --junit marks them failed; a bad shard file is refused naming it", async () => {
  const seeds = [0, 1, 2, 3, 4, 5, 6, 7];
  const identity = syntheticIdentity(seeds);
  const files = [0, 1].map((index) => {
    const path = join(dir, `synthetic-${index}.json`);
    const perSeed = seeds.slice(index * 4, index * 4 + 4).map((s) => syntheticSeed(s, [0.5, -0.5]));
    writeFileSync(path, seedsText(seedsShardOf(identity, { index, count: 2 }, SYNTHETIC_CLAIMS, perSeed, syntheticProvenance("shard"))));
    return path;
  });
  const xml = join(dir, "synthetic.xml");
  const r = await cli(["merge", ...files, "--strict", "--junit", xml]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /a-beats-b +8 of 8 .* SUPPORTED/);
  assert.match(r.stdout, /ratio-below-one +0 of 8 .* REFUTED/);
  assert.match(r.stderr, /gradlab: --strict: 1 claim refuted: ratio-below-one/);
  assert.match(readFileSync(xml, "utf8"), /<failure message="refuted: held on 0 of 8 seeds/);
  assert.is((await cli(["merge", ...files])).code, 0, "without --strict a refuted claim is reported, not an error");
  const missing = await cli(["merge", files[0]!, join(dir, "absent.json")]);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /absent\.json: no such file/);
  const lone = await cli(["merge", files[0]!]);
  assert.match(lone.stderr, /merge: missing shard 1\/2 \(seeds 4, 5, 6, 7\)/);
});

test.run();
