import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Dataset } from "../core/dataset.ts";
import { Rng } from "../core/random.ts";
import { globalMeanStd, normalizeMeanStd, scale, standardize } from "./normalize.ts";

/**
 * Tolerance for "mean ≈ 0, std ≈ 1" after standardizing: every output z is rounded once to
 * float32, |δz| ≤ |z|·2⁻²⁴, so the mean moves by at most mean|z|·2⁻²⁴ ≤ rms(z)·2⁻²⁴ = 2⁻²⁴
 * and the std by about the same; float64 accumulation adds ~n·2⁻⁵³ ≪ that. 4·2⁻²⁴ leaves room.
 */
const ATOL = 4 * 2 ** -24;

/** Pixel-like data: integers 0–255, mostly dark, like (Fashion-)MNIST. */
function pixels(rows: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: rows * 784 }, () => (rng.uniform() < 0.5 ? 0 : rng.int(256)));
  return { x, rows, features: 784, y: { kind: "classes", labels: new Int32Array(rows), classes: 10 } };
}

test("standardize: the training set ends with global mean 0 and std 1", () => {
  const { train, test: held, stats } = standardize(pixels(200, 1), pixels(50, 2));
  const { mean, std } = globalMeanStd(train.x);
  assert.ok(Math.abs(mean) <= ATOL, `mean ${mean}, |mean| ≤ ${ATOL} expected`);
  assert.ok(Math.abs(std - 1) <= ATOL, `std ${std}, |std − 1| ≤ ${ATOL} expected`);
  assert.is(stats.mode, "std");
  assert.is(stats.divisor, stats.std);
  assert.ok(held && held.rows === 50, "test set is standardized too");
});

test("standardize uses the TRAINING statistics for the test set", () => {
  const tr = pixels(100, 3), te = pixels(40, 4);
  const { test: out, stats } = standardize(tr, te);
  for (const i of [0, 17, 999, te.x.length - 1]) {
    assert.is(out!.x[i], Math.fround((te.x[i] - stats.mean) / stats.std));
  }
});

test("mode source-000-mean is exactly (x − mean)/mean, rounded once to float32", () => {
  const tr = pixels(100, 5), te = pixels(30, 6);
  const { train, test: out, stats } = standardize(tr, te, "source-000-mean");
  let sum = 0;
  for (const v of tr.x) sum += v;
  assert.is(stats.mean, sum / tr.x.length);
  assert.is(stats.divisor, stats.mean);
  for (let i = 0; i < tr.x.length; i++) {
    if (train.x[i] !== Math.fround((tr.x[i] - stats.mean) / stats.mean)) assert.unreachable(`train value ${i}`);
  }
  for (let i = 0; i < te.x.length; i++) {
    if (out!.x[i] !== Math.fround((te.x[i] - stats.mean) / stats.mean)) assert.unreachable(`test value ${i}`);
  }
  // the bug leaves the spread far from 1: std/mean of these pixels is about 1.4
  assert.ok(globalMeanStd(train.x).std > 1.2);
});

test("population std (ddof 0), computed in float64", () => {
  const ds: Dataset = { x: Float32Array.from([1, 2, 3, 4]), rows: 1, features: 4, y: { kind: "regression", values: new Float32Array(1), outputs: 1 } };
  assert.equal(globalMeanStd(ds.x), { mean: 2.5, std: Math.sqrt(1.25) });
});

test("scale divides; normalizeMeanStd subtracts and divides", () => {
  const ds = pixels(2, 7);
  const unit = scale(ds, 255);
  assert.is(unit.x[5], Math.fround(ds.x[5] / 255));
  const e5 = normalizeMeanStd(unit, 0.1307, 0.3081);
  assert.is(e5.x[5], Math.fround((unit.x[5] - 0.1307) / 0.3081));
  assert.is(ds.x[5], pixels(2, 7).x[5], "input not modified");
  assert.throws(() => scale(ds, 0), /divisor 0/);
  assert.throws(() => normalizeMeanStd(ds, 0, -1), /std -1/);
});

test("an unknown mode is an error", () => {
  // @ts-expect-error: testing a value from untyped input
  assert.throws(() => standardize(pixels(2, 8), undefined, "minmax"), /mode "minmax"/);
});

test.run();
