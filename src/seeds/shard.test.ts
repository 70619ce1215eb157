import * as fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseShard, shardOf, shardRange, shardSeeds } from "./shard.ts";

test("the shards of a seed list are contiguous, in order, cover it once, and differ in size by at most one", () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 200 }), (total, n) => {
    fc.pre(n <= total);
    const seeds = Array.from({ length: total }, (_, i) => 1000 + i);
    const parts = Array.from({ length: n }, (_, index) => shardSeeds(seeds, { index, count: n, source: "test" }));
    assert.equal(parts.flat(), seeds);
    const sizes = parts.map((p) => p.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1 && Math.min(...sizes) >= 1, `sizes ${sizes}`);
  }));
  assert.equal(shardRange(8, { index: 1, count: 3 }), [2, 5]);
});

test("--shard I/N: malformed or out-of-range values are refused, naming the flag", () => {
  assert.equal(parseShard("1/4"), { index: 1, count: 4, source: "--shard 1/4" });
  assert.throws(() => parseShard("4/4"), /--shard 4\/4: shard index 4 is not below the count 4 \(shards are numbered 0\.\.3\)/);
  assert.throws(() => parseShard("0/0"), /--shard 0\/0: the shard count must be at least 1/);
  assert.throws(() => parseShard("1 of 4"), /--shard: expected I\/N .* got "1 of 4"/);
  assert.throws(() => parseShard("-1/4"), /expected I\/N/);
  assert.throws(() => shardSeeds([1, 2], parseShard("0/3")), /--shard 0\/3: 2 seeds cannot be split into 3 shards/);
});

test("the shard comes from --shard, else a Kubernetes Indexed Job, else a Slurm array; the flag wins", () => {
  const k8s = { JOB_COMPLETION_INDEX: "2", JOB_COMPLETIONS: "4" };
  const slurm = { SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_MAX: "4" };
  assert.is(shardOf(undefined, {}), undefined);
  assert.equal(shardOf(undefined, k8s), { index: 2, count: 4, source: "JOB_COMPLETION_INDEX=2, JOB_COMPLETIONS=4" });
  assert.equal(shardOf(undefined, slurm), { index: 2, count: 4, source: "SLURM_ARRAY_TASK_ID=3, SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_COUNT=4" });
  assert.equal(shardOf(undefined, { SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_COUNT: "2" })?.index, 0);
  assert.equal(shardOf(undefined, { ...k8s, ...slurm })?.index, 2); // the two agree
  assert.equal(shardOf("0/1", { JOB_COMPLETION_INDEX: "x" }), { index: 0, count: 1, source: "--shard 0/1" }); // the flag wins, the environment is not read
});

test("half-set, malformed or conflicting variables are errors naming the variable", () => {
  assert.throws(() => shardOf(undefined, { JOB_COMPLETION_INDEX: "1" }), /JOB_COMPLETION_INDEX is set but JOB_COMPLETIONS is not/);
  assert.throws(() => shardOf(undefined, { JOB_COMPLETIONS: "2" }), /JOB_COMPLETIONS is set but JOB_COMPLETION_INDEX is not/);
  assert.throws(() => shardOf(undefined, { JOB_COMPLETION_INDEX: "one", JOB_COMPLETIONS: "2" }), /JOB_COMPLETION_INDEX: expected a whole number ≥ 0, got "one"/);
  assert.throws(() => shardOf(undefined, { JOB_COMPLETION_INDEX: "2", JOB_COMPLETIONS: "2" }), /JOB_COMPLETION_INDEX=2, JOB_COMPLETIONS=2: shard index 2 is not below the count 2/);
  assert.throws(() => shardOf(undefined, { SLURM_ARRAY_TASK_ID: "1" }), /SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not/);
  assert.throws(() => shardOf(undefined, { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "2", SLURM_ARRAY_TASK_STEP: "2" }), /SLURM_ARRAY_TASK_STEP=2: shards need consecutive task ids/);
  assert.throws(
    () => shardOf(undefined, { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "2", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_MAX: "5" }),
    /SLURM_ARRAY_TASK_MIN=0, SLURM_ARRAY_TASK_MAX=5 and SLURM_ARRAY_TASK_COUNT=2 disagree/,
  );
  assert.throws(
    () => shardOf(undefined, { JOB_COMPLETION_INDEX: "0", JOB_COMPLETIONS: "2", SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "2" }),
    /conflicting shards in the environment: JOB_COMPLETION_INDEX=0, JOB_COMPLETIONS=2 says 0\/2, SLURM_ARRAY_TASK_ID=1, SLURM_ARRAY_TASK_COUNT=2 says 1\/2/,
  );
});

test.run();
