import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadMnist, loadMnistIdx } from "./mnist.ts";
import { writeIdx } from "./idx.ts";
import { IDX_BASENAMES } from "./_internals/idx-files.ts";
import { classCounts } from "./_internals/rows.ts";

const labelsOf = (ds: { y: { kind: string; labels?: Int32Array } }) => ds.y.labels!;
const packageDir = dirname(createRequire(import.meta.url).resolve("mnist/package.json"));
const perDigit = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(join(packageDir, "src", "digits", `${d}.json`), "utf8")).data.length / 784);

test("split sizes: per class round(0.8·n) to train, 8,000 / 2,000 in all", () => {
  const { train, test: held, source } = loadMnist();
  assert.is(train.rows, 8000);
  assert.is(held!.rows, 2000);
  assert.is(train.features, 784);
  assert.equal(classCounts(labelsOf(train), 10), perDigit.map((n) => Math.round(0.8 * n)));
  assert.equal(classCounts(labelsOf(held!), 10), perDigit.map((n) => n - Math.round(0.8 * n)));
  assert.is(source.name, "mnist-package");
  assert.match(source.location, /mnist@1\.1\.0/);
});

test("classes are interleaved 0,1,…,9 and rows come from the package in order", () => {
  const { train, test: held } = loadMnist();
  assert.equal(Array.from(labelsOf(train).subarray(0, 20)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const raw3 = JSON.parse(readFileSync(join(packageDir, "src", "digits", "3.json"), "utf8")).data as number[];
  // train row 13 is class 3's second digit; test row 3 is class 3's first digit after its train share
  assert.equal(Array.from(train.x.subarray(13 * 784, 14 * 784)), raw3.slice(784, 2 * 784).map(Math.fround));
  const k = Math.round(0.8 * perDigit[3]);
  assert.equal(Array.from(held!.x.subarray(3 * 784, 4 * 784)), raw3.slice(k * 784, (k + 1) * 784).map(Math.fround));
});

test("deterministic: two loads are identical, pixels in [0, 1]", () => {
  const a = loadMnist(), b = loadMnist();
  assert.equal(a.train.x, b.train.x);
  assert.equal(labelsOf(a.test!), labelsOf(b.test!));
  assert.is(a.source.sha256, b.source.sha256);
  let lo = Infinity, hi = -Infinity;
  for (const v of a.train.x) { if (v < lo) lo = v; if (v > hi) hi = v; }
  assert.equal([lo, hi], [0, 1]);
});

test("loadMnistIdx reads IDX files and scales pixels by 1/255", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-mnist-"));
  try {
    const img = (rows: number) => ({ type: "ubyte" as const, dims: [rows, 28, 28], data: Uint8Array.from({ length: rows * 784 }, (_, i) => i % 256) });
    const lab = (rows: number) => ({ type: "ubyte" as const, dims: [rows], data: Uint8Array.from({ length: rows }, (_, i) => i % 10) });
    writeIdx(join(dir, `${IDX_BASENAMES[0]}.gz`), img(3), { gzip: true });
    writeIdx(join(dir, IDX_BASENAMES[1]), lab(3));
    writeIdx(join(dir, IDX_BASENAMES[2]), img(2));
    assert.throws(() => loadMnistIdx(dir), /missing t10k-labels-idx1-ubyte\[\.gz\]/);
    writeIdx(join(dir, IDX_BASENAMES[3]), lab(2));
    const data = loadMnistIdx(dir);
    assert.is(data.source.name, "mnist-idx");
    assert.equal([data.train.rows, data.test!.rows], [3, 2]);
    assert.is(data.train.x[255], Math.fround(255 / 255));
    assert.is(data.train.x[51], Math.fround(51 / 255));
    assert.equal(Array.from(labelsOf(data.train)), [0, 1, 2]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
