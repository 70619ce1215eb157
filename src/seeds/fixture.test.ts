/**
 * Multi-seed fixtures, on a fresh one: E1's quick profile over seeds 0 and 1 (wasm, a few
 * seconds), beside a copy of the committed single-seed quick fixture (seed 0), which it must
 * reproduce bit for bit.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { backendHandle, useBackend } from "../backend/mod.ts";
import { experimentNamed, experimentOf } from "../experiments/mod.ts";
import { FIXTURES_DIR, fixturePath, fixturesDirOf } from "../golden/mod.ts";
import { checkSeedsFixture, sampleSeeds, seedsFixturePath, verifySeedsFixture } from "./fixture.ts";
import { seedsResultOf, seedsText } from "./judge.ts";
import { runSeeds } from "./run-seeds.ts";
import { syntheticProvenance } from "./testing.ts";

const e1 = experimentNamed("fashion-sigmoid-vs-relu");
const dir = mkdtempSync(join(tmpdir(), "gradlab-seeds-fixture-"));
mkdirSync(join(dir, e1.name));
copyFileSync(fixturePath(e1.name, "quick"), fixturePath(e1.name, "quick", dir));
const info = await useBackend("wasm");
const runsOn = backendHandle(info.name);
const run = await runSeeds(e1, "quick", [0, 1], [0, 1], { runsOn });
const path = seedsFixturePath(e1, "quick", dir);
const text = seedsText(seedsResultOf(run.identity, run.definitions, run.perSeed, syntheticProvenance("test")));
writeFileSync(path, text);
// deno-lint-ignore no-explicit-any
const edited = (edit: (f: Record<string, any>) => void) => {
  const f = JSON.parse(text);
  edit(f);
  writeFileSync(path, JSON.stringify(f));
};

test("a multi-seed fixture lies beside the single-seed one: the repository's fixtures/, --fixtures-dir, or beside an experiment file from elsewhere", () => {
  const example = experimentOf(new URL("../../examples/experiments/sigmoid-depth.json", import.meta.url).pathname);
  assert.is(seedsFixturePath(e1, "full"), join(FIXTURES_DIR, e1.name, "full.seeds.json"));
  assert.is(seedsFixturePath(e1, "quick", dir), join(dir, e1.name, "quick.seeds.json"));
  assert.is(seedsFixturePath(example, "quick"), join(fixturesDirOf(example), "sigmoid-depth", "quick.seeds.json"));
  assert.match(seedsFixturePath(example, "quick"), /examples\/experiments\/fixtures\/sigmoid-depth\/quick\.seeds\.json$/);
});

test("a sample of seeds is drawn without repeats from one seed, the same sample for the same seed", () => {
  const seeds = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
  const a = sampleSeeds(seeds, 3, 1234);
  assert.equal(a, sampleSeeds(seeds, 3, 1234));
  assert.is(new Set(a).size, 3);
  assert.ok(a.every((s) => seeds.includes(s)));
  assert.equal(sampleSeeds(seeds, 20, 1), seeds);
  const drawn = new Set(Array.from({ length: 40 }, (_, i) => sampleSeeds(seeds, 1, i)[0]));
  assert.ok(drawn.size >= 5, `40 draws of one seed hit ${drawn.size} of 10`);
});

test("check: a fresh fixture checks out, seed 0 equal to the committed single-seed fixture; edits are found, naming the field", () => {
  writeFileSync(path, text);
  assert.equal(checkSeedsFixture(e1, "quick", dir), []);
  edited((f) => (f.claims[0].held = 1));
  assert.match(checkSeedsFixture(e1, "quick", dir).join("\n"), /claims are not what the per-seed summaries give: claims\[0\]\.held: 1 vs 2/);
  edited((f) => (f.perSeed[0].claims[0].margin = 0.5));
  assert.match(checkSeedsFixture(e1, "quick", dir).join("\n"), /seed 0 differs from .*quick\.json: perSeed\[0\]\.claims\[0\]\.margin: 0\.5 vs/);
  edited((f) => (f.config.runs[0].training.epochs = 4));
  assert.match(checkSeedsFixture(e1, "quick", dir).join("\n"), /not the code's config: config\.runs\[0\]\.training\.epochs: 4 vs 3/);
  writeFileSync(path, "{}");
  assert.match(checkSeedsFixture(e1, "quick", dir).join("\n"), /not a gradlab-seeds\/1 file/);
  writeFileSync(path, text);
  // a single-seed fixture that cannot be read is said, not thrown
  const single = fixturePath(e1.name, "quick", dir), singleText = readFileSync(single, "utf8");
  writeFileSync(single, "{");
  assert.match(checkSeedsFixture(e1, "quick", dir).join("\n"), /its seeds cannot be compared with the single-seed fixture: .*quick\.json: not JSON/);
  writeFileSync(single, singleText);
  assert.equal(checkSeedsFixture(e1, "quick", dir), []);
});

test("verify: the drawn seed reruns bit for bit; a changed number is a mismatch naming the seed and field; another backend is refused", async () => {
  writeFileSync(path, text);
  const ok = await verifySeedsFixture(e1, "quick", 1, 7, { dir, runsOn });
  assert.is(ok.status, "match", ok.text);
  assert.equal(ok.seeds, sampleSeeds([0, 1], 1, 7));
  edited((f) => f.perSeed.forEach((s: { runs: { finalLossMean: number }[] }) => (s.runs[1]!.finalLossMean += 2 ** -40)));
  const bad = await verifySeedsFixture(e1, "quick", 1, 7, { dir, runsOn });
  assert.is(bad.status, "mismatch");
  assert.match(bad.text, new RegExp(`seed ${ok.seeds[0]}: perSeed\\[seed ${ok.seeds[0]}\\]\\.runs\\[1\\]\\.finalLossMean`));
  writeFileSync(path, text);
  const other = await verifySeedsFixture(e1, "quick", 1, 7, { dir, runsOn: { ...runsOn, name: "cpu" } });
  assert.is(other.status, "invalid");
  assert.match(other.text, /made on wasm; a bitwise rerun needs the same backend, not cpu/);
  assert.is((await verifySeedsFixture(e1, "full", 1, 7, { dir, runsOn })).status, "missing");
  assert.is(readFileSync(path, "utf8"), text);
});

test.run();
