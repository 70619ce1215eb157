import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { encodeIdx } from "../data/mod.ts";
import { readBatchFile, standardNormalBatch } from "./batch.ts";

const dir = mkdtempSync(join(tmpdir(), "gradlab-batch-"));
const file = (name: string, content: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
function fails(run: () => unknown, message: string) {
  try {
    run();
  } catch (e) {
    assert.match((e as Error).message, message);
    return;
  }
  assert.unreachable(`should fail with ${message}`);
}

test("standard-normal inputs come from the seed: the same seed, the same batch; another seed, another", () => {
  const a = standardNormalBatch(64, 10, 5), b = standardNormalBatch(64, 10, 5), c = standardNormalBatch(64, 10, 6);
  assert.equal(a.x, b.x);
  assert.not.equal(a.x, c.x);
  const mean = a.x.reduce((s, v) => s + v, 0) / a.x.length;
  const variance = a.x.reduce((s, v) => s + (v - mean) ** 2, 0) / a.x.length;
  // 640 N(0,1) draws: the sample variance's standard error is √(2/640) ≈ 0.056; 6 of them
  assert.ok(Math.abs(variance - 1) < 6 * Math.sqrt(2 / 640), `variance ${variance}`);
  assert.is(a.source, "standard normal N(0, 1), seed 5");
});

test("CSV: a header, numeric columns, the label column as targets (class labels or values); the first rows", () => {
  const b = readBatchFile(file("a.csv", "x1,label,x2\n1,2,3\n4,0,\"5\"\n7,1,8\n"), { rows: 2 }, "--data");
  assert.equal(Array.from(b.x), [1, 3, 4, 5]);
  assert.equal([b.rows, b.features], [2, 2]);
  assert.equal(b.targets, { kind: "classes", labels: new Int32Array([2, 0]) });
  assert.match(b.source, "(first 2 of 3 rows)");
  const r = readBatchFile(file("r.csv", "a,y\n1,0.5\n2,1.5\n"), { labelColumn: "y" }, "--data");
  assert.equal(r.targets, { kind: "values", values: new Float32Array([0.5, 1.5]), width: 1 });
  assert.is(readBatchFile(file("n.csv", "a,b\n1,2\n3,4\n"), {}, "--data").targets, null);
});

test("JSON: rows nested as the input's shape, labels or target rows", () => {
  const b = readBatchFile(file("a.json", JSON.stringify({ x: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]], y: [1, 0] })), {}, "--data");
  assert.equal([b.rows, b.features], [2, 4]);
  assert.equal(b.targets, { kind: "classes", labels: new Int32Array([1, 0]) });
  const t = readBatchFile(file("t.json", JSON.stringify({ x: [[1], [2]], y: [[0.1, 0.2], [0.3, 0.4]] })), {}, "--data");
  assert.equal(t.targets?.kind === "values" && t.targets.width, 2);
});

test("IDX: gzipped or not, labels from --labels, unsigned bytes scaled by 255 unless --scale says otherwise", () => {
  const images = encodeIdx({ type: "ubyte", dims: [3, 2, 2], data: Uint8Array.from({ length: 12 }, (_, i) => i * 20) });
  const data = file("img.idx", gzipSync(images));
  const labels = file("lab.idx", encodeIdx({ type: "ubyte", dims: [3], data: new Uint8Array([4, 5, 6]) }));
  const b = readBatchFile(data, { labels }, "--data");
  assert.equal([b.rows, b.features], [3, 4]);
  assert.is(b.x[1], Math.fround(20 / 255), "stored as float32");
  assert.is(b.preprocessing, "x/255 (unsigned-byte IDX: pixels)");
  assert.equal(b.targets, { kind: "classes", labels: new Int32Array([4, 5, 6]) });
  assert.is(readBatchFile(data, { scale: 1 }, "--data").x[1], 20);
  const two = readBatchFile(data, { labels, rows: 2 }, "--data");
  assert.equal([two.rows, two.x.length, two.targets?.kind === "classes" && Array.from(two.targets.labels)], [2, 8, [4, 5]]);
  assert.match(two.source, "(first 2 of 3 rows)");
});

test("bad data is named: file, row, column or field, and what was expected", () => {
  fails(() => readBatchFile(join(dir, "missing.csv"), {}, "--data"), "--data " + join(dir, "missing.csv") + ": cannot read");
  fails(() => readBatchFile(file("bad.csv", "a,b\n1,2\n3,x\n"), {}, "--data"), 'bad.csv: row 2 (line 3), column "b": expected a number, got "x"');
  fails(() => readBatchFile(file("nohead.csv", "1,2\n3,4\n"), {}, "--data"), "nohead.csv: line 1 looks like data (1,2…); the first line must name the columns");
  fails(() => readBatchFile(file("col.csv", "a,b\n1,2\n3,4\n"), { labelColumn: "y" }, "--data"), '--label-column: --data ' + join(dir, "col.csv") + ' has no column "y" (columns: a, b)');
  fails(() => readBatchFile(file("ragged.json", JSON.stringify({ x: [[1, 2], [3]] })), {}, "--data"), "ragged.json: /x/1 has 1 numbers, /x/0 has 2");
  fails(() => readBatchFile(file("str.json", JSON.stringify({ x: [[1, "a"], [3, 4]] })), {}, "--data"), 'str.json: /x/0/1: expected a finite number, got "a"');
  fails(() => readBatchFile(file("extra.json", JSON.stringify({ x: [[1], [2]], labels: [1, 2] })), {}, "--data"), 'extra.json: unknown field "labels"; expected "x" and optionally "y"');
  fails(() => readBatchFile(file("ylen.json", JSON.stringify({ x: [[1], [2]], y: [1] })), {}, "--data"), "ylen.json: /y has 1 entries for the 2 rows of /x");
  fails(() => readBatchFile(file("neg.json", JSON.stringify({ x: [[1], [2]], y: [1, -1] })), {}, "--data"), "neg.json: /y/1 is -1, expected a class label (an integer ≥ 0)");
  fails(() => readBatchFile(file("one.csv", "a\n1\n"), {}, "--data"), "one.csv: 1 row; variances need at least 2");
  const img = file("i.idx", encodeIdx({ type: "ubyte", dims: [3, 2], data: new Uint8Array(6) }));
  fails(() => readBatchFile(img, { labels: file("l.idx", encodeIdx({ type: "ubyte", dims: [2], data: new Uint8Array(2) })) }, "--data"), "l.idx: 2 labels for the 3 rows of --data");
  fails(() => readBatchFile(file("c.csv", "a,b\n1,2\n3,4\n"), { labels: img }, "--data"), "--labels goes with an IDX data file; this is CSV");
});

test.run();
