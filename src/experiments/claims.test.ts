import { test } from "uvu";
import * as assert from "uvu/assert";
import { claim, fmt, fmtValue } from "./claims.ts";

const base = { id: "x", statement: "s", check: "c" };

test("margin is signed toward holding, for every comparison", () => {
  assert.equal([claim({ ...base, measured: 3, comparison: ">", threshold: 1 })].map((c) => [c.held, c.margin]), [[true, 2]]);
  assert.equal([claim({ ...base, measured: 1, comparison: ">", threshold: 1 })].map((c) => [c.held, c.margin]), [[false, 0]]);
  assert.equal([claim({ ...base, measured: 1, comparison: ">=", threshold: 1 })].map((c) => [c.held, c.margin]), [[true, 0]]);
  assert.equal([claim({ ...base, measured: 0.5, comparison: "<", threshold: 1 })].map((c) => [c.held, c.margin]), [[true, 0.5]]);
  assert.equal([claim({ ...base, measured: 2, comparison: "<=", threshold: 1 })].map((c) => [c.held, c.margin]), [[false, -1]]);
  assert.equal([claim({ ...base, measured: 0, comparison: "==", threshold: 0 })].map((c) => [c.held, c.margin]), [[true, 0]]);
  assert.equal([claim({ ...base, measured: 1e-9, comparison: "==", threshold: 0 })].map((c) => [c.held, c.margin]), [[false, -1e-9]]);
});

test("a non-finite measurement never holds", () => {
  assert.not.ok(claim({ ...base, measured: NaN, comparison: "<", threshold: 1 }).held);
  assert.not.ok(claim({ ...base, measured: Infinity, comparison: ">", threshold: 1 }).held);
});

test("fmtValue prints a number as fmt does and a vector as its numbers, comma-separated", () => {
  assert.is(fmtValue(0.123456), fmt(0.123456));
  assert.is(fmtValue([0.25, 1e-7]), "0.25, 1.000e-7");
  assert.is(fmtValue([]), "");
});

test.run();
