/**
 * diff.ts: the first difference between two plain-data values, as merge, the seeds fixtures
 * and the population tests report it; and the per-series summary regen prints.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { diffSummary, firstDifference } from "./diff.ts";

test("firstDifference: null for equal data (NaN equals NaN, −0 equals 0), else the path and both values", () => {
  assert.is(firstDifference({ a: [1, NaN, -0], b: "x" }, { a: [1, NaN, 0], b: "x" }), null);
  assert.is(firstDifference(Float32Array.of(1, 2), Float32Array.of(1, 2)), null);
  assert.is(firstDifference({ a: [1, 2] }, { a: [1, 3] }), "a[1]: 2 vs 3");
  assert.is(firstDifference({ a: [1, 2] }, { a: [1] }, "run"), "run.a: length 2 vs 1");
  assert.is(firstDifference({ a: 1 }, { a: 1, b: true }, "shard"), "shard.b: absent vs true");
  assert.is(firstDifference({ k: "p" }, { k: "q" }, "config"), 'config.k: "p" vs "q"');
  const long = "y".repeat(200);
  assert.is(firstDifference({ s: long }, { s: "z" }), `s: "${"y".repeat(76)}… vs "z"`);
});

test("diffSummary: changed numbers per series, and structural differences", () => {
  const d = diffSummary({ runs: [{ acc: [0.5, 0.6] }] }, { runs: [{ acc: [0.5, 0.75] }], extra: 1 });
  assert.is(d.changes.length, 1);
  assert.is(d.changes[0].changed, 1);
  assert.ok(Math.abs(d.changes[0].maxAbs - 0.15) < 1e-12, String(d.changes[0].maxAbs));
  assert.equal(d.structural, ["extra: added"]);
});

test.run();
