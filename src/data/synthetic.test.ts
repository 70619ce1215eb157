import { test } from "uvu";
import * as assert from "uvu/assert";
import { Rng } from "../core/random.ts";
import { splitDataset, syntheticRegression, tensorGenReg } from "./synthetic.ts";

const values = (ds: { y: { kind: string; values?: Float32Array } }) => ds.y.values!;

test("tensorGenReg follows y = 2·x1² − x2² + 0.01·ε, with ε drawn after all features", () => {
  const ds = tensorGenReg({}, new Rng(420));
  assert.is(ds.rows, 1000);
  assert.is(ds.features, 2);
  // replay the stream: 2,000 feature draws, then 1,000 noise draws
  const rng = new Rng(420);
  const x = Array.from({ length: 2000 }, () => Math.fround(rng.normal()));
  const eps = Array.from({ length: 1000 }, () => rng.normal());
  for (let i = 0; i < 1000; i++) {
    assert.is(ds.x[2 * i], x[2 * i]);
    const expected = Math.fround(2 * x[2 * i] ** 2 - x[2 * i + 1] ** 2 + 0.01 * eps[i]);
    if (values(ds)[i] !== expected) assert.unreachable(`row ${i}: ${values(ds)[i]} vs ${expected}`);
  }
});

test("noise has the requested size: residual std ≈ 0.01 (±10%, n = 1,000 gives ~2.2% std error)", () => {
  const ds = tensorGenReg({}, new Rng(1));
  let ss = 0;
  for (let i = 0; i < ds.rows; i++) {
    const r = values(ds)[i] - (2 * ds.x[2 * i] ** 2 - ds.x[2 * i + 1] ** 2);
    ss += r * r;
  }
  const std = Math.sqrt(ss / ds.rows);
  assert.ok(Math.abs(std - 0.01) < 0.001, `residual std ${std}`);
});

test("generalized: weights, degree, bias (a ones column, as the course appends), noise 0", () => {
  const ds = tensorGenReg({ n: 5, weights: [1, 2, 3], degree: 1, bias: 0.5, noise: 0 }, new Rng(3));
  assert.is(ds.features, 4);
  for (let i = 0; i < 5; i++) {
    const r = ds.x.subarray(4 * i, 4 * i + 4);
    assert.is(r[3], 1);
    assert.is(values(ds)[i], Math.fround(r[0] + 2 * r[1] + 3 * r[2] + 0.5));
  }
  assert.throws(() => tensorGenReg({ n: 0 }, new Rng(3)), /n 0/);
});

test("the same seed gives the same data and split; another seed does not", () => {
  const a = syntheticRegression({ seed: 420 }), b = syntheticRegression({ seed: 420 }), c = syntheticRegression({ seed: 29 });
  assert.equal(a.train.x, b.train.x);
  assert.equal(values(a.test!), values(b.test!));
  assert.is(a.source.sha256, b.source.sha256);
  assert.is.not(a.source.sha256, c.source.sha256);
  assert.not.equal(a.train.x, c.train.x);
  assert.is(a.train.rows, 700);
  assert.is(a.test!.rows, 300);
  assert.is(a.source.name, "synthetic-regression");
  assert.is.not(syntheticRegression({ seed: 420, noise: 0.1 }).source.sha256, a.source.sha256);
});

test("splitDataset: a permutation, floor(fraction·n) to train, rows kept whole", () => {
  const ds = tensorGenReg({ n: 10 }, new Rng(5));
  const { train, test: held } = splitDataset(ds, 0.7, new Rng(6));
  assert.is(train.rows, 7);
  assert.is(held.rows, 3);
  const perm = new Rng(6).permutation(10);
  assert.equal(Array.from(train.x.subarray(0, 2)), Array.from(ds.x.subarray(perm[0] * 2, perm[0] * 2 + 2)));
  assert.is(values(held)[2], values(ds)[perm[9]]);
  assert.throws(() => splitDataset(ds, 1, new Rng(6)), /fraction 1/);
});

test.run();
