/**
 * The JUnit XML read back with an XML parser (xmlbuilder2's reader, which keeps entities as
 * written, so escaping shows): one testcase per claim, outcomes by verdict.
 */
import { convert } from "xmlbuilder2";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { claim } from "../experiments/mod.ts";
import { seedRule, seedsResultOf } from "./judge.ts";
import { claimsJUnit, seedsJUnit } from "./junit.ts";
import type { ClaimDefinition, SeedSummary } from "./seeds-schema.ts";

type Node = Record<string, unknown>;
const list = (x: unknown): Node[] => (Array.isArray(x) ? x : x === undefined ? [] : [x]) as Node[];

function parse(xml: string): { suite: Node; cases: Node[] } {
  const doc = convert(xml, { format: "object" }) as { testsuites: Node & { testsuite: Node } };
  return { suite: doc.testsuites.testsuite, cases: list(doc.testsuites.testsuite.testcase) };
}

const definitions: ClaimDefinition[] = ["always", "never", "half"].map((id) => ({ id, statement: `${id} <holds> & "quoted"`, check: "m > 0", comparison: ">" }));

test("over seeds: supported passes, refuted is a failure, inconclusive is skipped with the counts and interval; text is escaped", () => {
  const perSeed: SeedSummary[] = Array.from({ length: 8 }, (_, seed) => ({
    seed,
    claims: [
      { id: "always", measured: 1, threshold: 0, held: true, margin: 1 },
      { id: "never", measured: -1, threshold: 0, held: false, margin: -1 },
      { id: "half", measured: seed % 2 ? 1 : null, threshold: 0, held: seed % 2 === 1, margin: seed % 2 ? 1 : null },
    ],
  }));
  const r = seedsResultOf({
    experiment: "x", profile: "quick", seeds: perSeed.map((s) => s.seed), rule: seedRule(), config: {},
    data: { source: { name: "n", sha256: "0", description: "d" }, full: false, trainRows: 1, testRows: 1, features: 1, preprocessing: "p" },
    backend: { name: "wasm", device: "d", tfjsVersion: "4.22.0" }, code: { commit: "abc" },
  }, definitions, perSeed, { command: "c", generatedAt: "g", elapsedSeconds: 0, runtime: "r", host: "h", dirty: false });
  const { suite, cases } = parse(seedsJUnit(r, "E9 x/quick"));
  assert.is(suite["@tests"], "3");
  assert.is(suite["@failures"], "1");
  assert.is(suite["@skipped"], "1");
  assert.equal(cases.map((c) => c["@name"]), ["always", "never", "half"]);
  assert.ok(!("failure" in cases[0]!) && !("skipped" in cases[0]!));
  assert.is((cases[1]!.failure as Node)["@type"], "refuted");
  assert.match(String((cases[1]!.failure as Node)["@message"]), /^refuted: held on 0 of 8 seeds, 95% Clopper–Pearson interval \[0\.000, 0\.369\] below 1\/2$/);
  assert.match(String((cases[2]!.skipped as Node)["@message"]), /^inconclusive: held on 4 of 8 seeds, .* across 1\/2$/);
  assert.match(String(cases[2]!["system-out"]), /half &lt;holds&gt; &amp; "quoted"\ncheck: m &gt; 0\nseed 0: failed, margin −∞\nseed 1: held, margin 1/);
});

test("one seed: a claim that held passes, one that failed is a failure", () => {
  const claims = [
    claim({ id: "ok", statement: "s", check: "c", measured: 1, comparison: ">", threshold: 0 }),
    claim({ id: "bad", statement: "s", check: "c", measured: -1, comparison: ">", threshold: 0, detail: "why" }),
  ];
  const { suite, cases } = parse(claimsJUnit(claims, "E9 x/quick", "gradlab.x.quick", { seed: "7" }));
  assert.is(suite["@failures"], "1");
  assert.ok(!("failure" in cases[0]!));
  assert.is((cases[1]!.failure as Node)["@type"], "failed");
  assert.match(String((cases[1]!.failure as Node)["@message"]), /FAILED bad: -1 &gt; 0, margin -1/);
});

test.run();
