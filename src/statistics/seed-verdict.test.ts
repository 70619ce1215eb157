import * as fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { clopperPearson } from "./binomial-interval.ts";
import { fewestSeedsFor, judgeOverSeeds, SEED_VERDICT_RULE, verdictOf } from "./seed-verdict.ts";

test("the rule: supported above 1/2, refuted below, inconclusive across; six seeds before either is possible", () => {
  assert.is(verdictOf(8, 8), "supported");
  assert.is(verdictOf(7, 8), "inconclusive"); // [0.473, 0.997]: with 8 seeds only 8 of 8 is support
  assert.is(verdictOf(9, 10), "supported"); // [0.555, 0.997]
  assert.is(verdictOf(6, 8), "inconclusive"); // [0.349, 0.968]
  assert.is(verdictOf(0, 8), "refuted");
  assert.is(verdictOf(5, 5), "inconclusive"); // 0.025^(1/5) = 0.478
  assert.is(fewestSeedsFor("supported"), 6);
  assert.is(fewestSeedsFor("refuted"), 6);
  assert.match(SEED_VERDICT_RULE.text, "Clopper–Pearson");
});

test("the verdict follows the interval, and more holds never make it worse", () => {
  const counts = fc.integer({ min: 1, max: 200 }).chain((n) => fc.record({ n: fc.constant(n), k: fc.integer({ min: 0, max: n }) }));
  const rank = { refuted: 0, inconclusive: 1, supported: 2 } as const;
  fc.assert(fc.property(counts, ({ n, k }) => {
    const { lower, upper } = clopperPearson(k, n);
    const v = verdictOf(k, n);
    assert.is(v === "supported", lower > 0.5);
    assert.is(v === "refuted", upper < 0.5);
    if (k < n) assert.ok(rank[verdictOf(k + 1, n)] >= rank[v]);
  }));
});

test("judgeOverSeeds counts holds, summarizes margins, and refuses repeated seeds or none", () => {
  const outcomes = [0.3, -0.1, 0.2, 0.5, 0.1, 0.4, 0.25, -Infinity].map((margin, i) => ({ seed: 100 + i, held: margin > 0, margin }));
  const j = judgeOverSeeds(outcomes);
  assert.is(j.held, 6);
  assert.is(j.seeds, 8);
  assert.is(j.rate, 0.75);
  assert.is(j.verdict, "inconclusive");
  assert.is(j.margins.median, 0.225);
  assert.is(j.margins.min, -Infinity);
  assert.throws(() => judgeOverSeeds([]), /no seeds/);
  assert.throws(() => judgeOverSeeds([outcomes[0]!, outcomes[0]!]), /repeat/);
});

test.run();
