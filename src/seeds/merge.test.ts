/**
 * Merging shard files, on synthetic seed summaries (no training): any split of any seeds
 * merges to the bytes of the unsharded result up to `provenance`; shards of another run, a
 * shard twice, a missing one, or a shard holding the wrong seeds are refused naming the file.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { judgeOverSeeds } from "../statistics/mod.ts";
import { seedsResultOf, seedsText } from "./judge.ts";
import { mergeShards, readSeedsResult, readShard, seedsShardOf, type ShardFile } from "./merge.ts";
import { type SeedsIdentity, seedsResultProblems, seedsShardProblems, type SeedSummary } from "./seeds-schema.ts";
import { SYNTHETIC_CLAIMS, syntheticIdentity, syntheticProvenance, syntheticSeed } from "./testing.ts";
import { shardRange } from "./shard.ts";

const definitions = SYNTHETIC_CLAIMS;
const identityOf = (seeds: number[]) => syntheticIdentity(seeds, "synthetic");
const provenance = syntheticProvenance;
const summaryOf = syntheticSeed;
const margin = fc.oneof(fc.double({ min: -1, max: 1, noNaN: true }), fc.constant(null));

/** The text of a file up to its `provenance` member: what must be byte-identical. */
const head = (text: string) => text.slice(0, text.indexOf('"provenance"'));

function shardFiles(identity: SeedsIdentity, perSeed: SeedSummary[], count: number): ShardFile[] {
  return Array.from({ length: count }, (_, index) => {
    const [s, e] = shardRange(perSeed.length, { index, count });
    return { path: `shard-${index}.json`, shard: seedsShardOf(identity, { index, count }, definitions, perSeed.slice(s, e), provenance(`shard ${index}`)) };
  });
}

const runs = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc.record({
    first: fc.integer({ min: 0, max: 1000 }),
    margins: fc.array(fc.tuple(margin, margin), { minLength: n, maxLength: n }),
    count: fc.integer({ min: 1, max: n }),
    order: fc.array(fc.nat(), { minLength: n, maxLength: n }),
  })
);

test("any split into shards, given in any order, merges to the unsharded result's bytes up to provenance; both are schema-valid", () => {
  fc.assert(fc.property(runs, ({ first, margins, count, order }) => {
    const seeds = margins.map((_, i) => first + i);
    const perSeed = seeds.map((s, i) => summaryOf(s, margins[i]!));
    const identity = identityOf(seeds);
    const whole = seedsResultOf(identity, definitions, perSeed, provenance("run"));
    assert.equal(seedsResultProblems(JSON.parse(seedsText(whole))), []);
    const files = shardFiles(identity, perSeed, count);
    for (const f of files) assert.equal(seedsShardProblems(JSON.parse(seedsText(f.shard))), []);
    const shuffled = files.map((f, i) => [order[i]!, f] as const).sort((a, b) => a[0] - b[0]).map(([, f]) => f);
    const merged = mergeShards(shuffled, { command: "merge", generatedAt: "later", runtime: "test", host: "test" });
    assert.is(head(seedsText(merged)), head(seedsText(whole)));
    assert.equal(merged.provenance.shards?.map((s) => s.shard), files.map((_, i) => `${i}/${count}`));
  }));
});

test("each claim is judged as src/statistics judges its outcomes; a measurement that was not finite is null, counted as −∞", () => {
  const perSeed = [summaryOf(1, [0.2, null]), summaryOf(2, [-0.1, 0.3]), summaryOf(3, [0.4, 0.1])];
  const r = seedsResultOf(identityOf([1, 2, 3]), definitions, perSeed, provenance("run"));
  const expected = judgeOverSeeds([{ seed: 1, held: true, margin: 0.2 }, { seed: 2, held: false, margin: -0.1 }, { seed: 3, held: true, margin: 0.4 }]);
  assert.is(r.claims[0]!.held, expected.held);
  assert.is(r.claims[0]!.interval.lower, expected.interval.lower);
  assert.is(r.claims[0]!.margins.median, expected.margins.median);
  assert.is(r.claims[1]!.margins.min, null);
  assert.is(r.claims[1]!.margins.median, 0.1);
  assert.is(r.claims[1]!.verdict, "inconclusive");
  assert.ok(seedsText(r).includes('"statement": "a <beats> b & more"'));
});

test("merge refuses shards of another run, naming the file and what differs", () => {
  const seeds = [0, 1, 2, 3];
  const perSeed = seeds.map((s) => summaryOf(s, [0.1, 0.2]));
  const good = shardFiles(identityOf(seeds), perSeed, 2);
  const changes: [string, (i: SeedsIdentity) => void, RegExp][] = [
    ["experiment", (i) => (i.experiment = "other"), /its experiment differs \(experiment: "other" vs "synthetic"\)/],
    ["profile", (i) => (i.profile = "full"), /its profile differs/],
    ["config", (i) => ((i.config as Record<string, unknown>).lr = 2), /its config differs \(config\.lr: 2 vs absent\)/],
    ["backend", (i) => (i.backend.name = "cpu"), /its backend differs \(backend\.name: "cpu" vs "wasm"\)/],
    ["commit", (i) => (i.code.commit = "def"), /its code commit differs \(code\.commit: "def" vs "abc"\)/],
    ["seeds", (i) => (i.seeds = [0, 1, 2, 4]), /its seed list differs \(seeds\[3\]: 4 vs 3\)/],
    ["data", (i) => (i.data.source.sha256 = "1"), /its data differs/],
  ];
  for (const [what, change, message] of changes) {
    const identity = identityOf(seeds);
    change(identity);
    const bad = shardFiles(identity, perSeed, 2)[1]!;
    try {
      mergeShards([good[0]!, bad], { command: "merge", generatedAt: "", runtime: "", host: "" });
      assert.unreachable(`a different ${what} merged`);
    } catch (e) {
      assert.match((e as Error).message, /^shard-1\.json: a shard of a different run than shard-0\.json/, what);
      assert.match((e as Error).message, message, what);
    }
  }
});

test("merge refuses a shard twice, a missing shard, another count and a shard holding the wrong seeds", () => {
  const seeds = [0, 1, 2, 3, 4];
  const identity = identityOf(seeds);
  const perSeed = seeds.map((s) => summaryOf(s, [0.1, 0.2]));
  const [a, b, c] = shardFiles(identity, perSeed, 3);
  const p = { command: "merge", generatedAt: "", runtime: "", host: "" };
  assert.throws(() => mergeShards([a!, b!, { ...b!, path: "copy.json" }], p), /copy\.json: shard 1\/3 given twice \(also shard-1\.json\)/);
  assert.throws(() => mergeShards([a!, c!], p), /merge: missing shard 1\/3 \(seeds 1, 2\); have 0 \(shard-0\.json\), 2 \(shard-2\.json\)/);
  const other = shardFiles(identity, perSeed, 2)[1]!;
  assert.throws(() => mergeShards([a!, { ...other, path: "two.json" }], p), /two\.json: shard 1\/2, but shard-0\.json is one of 3 shards/);
  const wrong = { path: "wrong.json", shard: { ...b!.shard, perSeed: [perSeed[1]!] } };
  assert.throws(() => mergeShards([a!, wrong, c!], p), /wrong\.json: shard 1\/3 should hold seeds \[1, 2\], holds \[1\]/);
  // a seed whose claims are not the shard's own (a hand-edited file) is refused by the judgement
  const swapped = { ...perSeed[3]!, claims: [...perSeed[3]!.claims].reverse() };
  const edited = { path: "edited.json", shard: { ...c!.shard, perSeed: [swapped, perSeed[4]!] } };
  assert.throws(() => mergeShards([a!, b!, edited], p), /seed 3: claim 1 is ratio-below-one, expected a-beats-b/);
  assert.throws(() => mergeShards([], p), /no shard files/);
});

test("reading: a file that is missing, not JSON, of the other kind or off its schema is refused, naming the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-merge-"));
  const seeds = [0, 1];
  const identity = identityOf(seeds);
  const perSeed = seeds.map((s) => summaryOf(s, [0.1, 0.2]));
  const shard = join(dir, "s.json"), whole = join(dir, "w.json"), junk = join(dir, "j.json"), off = join(dir, "o.json");
  writeFileSync(shard, seedsText(shardFiles(identity, perSeed, 1)[0]!.shard));
  writeFileSync(whole, seedsText(seedsResultOf(identity, definitions, perSeed, provenance("run"))));
  writeFileSync(junk, "{");
  writeFileSync(off, JSON.stringify({ ...shardFiles(identity, perSeed, 1)[0]!.shard, perSeed: "none" }));
  assert.is(readShard(shard).shard.count, 1);
  assert.is(readSeedsResult(whole).claims.length, 2);
  assert.throws(() => readShard(join(dir, "absent.json")), /absent\.json: no such file/);
  assert.throws(() => readShard(junk), /j\.json: not JSON/);
  assert.throws(() => readShard(whole), /w\.json: already a merged \(or unsharded\) result, not a shard file/);
  assert.throws(() => readSeedsResult(shard), /s\.json: a shard file, not a result/);
  assert.throws(() => readShard(off), /o\.json: not a gradlab-seeds-shard\/1 file:\n {2}\/perSeed must be array/);
});

test.run();
