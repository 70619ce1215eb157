import { test } from "uvu";
import * as assert from "uvu/assert";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFashionMnist, loadFashionMnist, locateFashionMnist, SYSTEM_FASHION_MNIST_DIR } from "./fashion-mnist.ts";
import { EMBEDDED_FASHION_MNIST_DIR, verifyEmbeddedSubset } from "./embedded-subset.ts";
import { readIdx, writeIdx } from "./idx.ts";
import { IDX_BASENAMES } from "./_internals/idx-files.ts";
import { classCounts, firstRowsPerClass } from "./_internals/rows.ts";
import { globalMeanStd, standardize } from "./normalize.ts";

const tmp = mkdtempSync(join(tmpdir(), "gradlab-fmnist-"));
let n = 0;
/** A fresh directory; with `files`, holding four (empty) files with the IDX names. */
function dir(files: boolean, gz = true): string {
  const d = join(tmp, `d${n++}`);
  mkdirSync(d, { recursive: true });
  if (files) for (const b of IDX_BASENAMES) writeFileSync(join(d, gz ? `${b}.gz` : b), "");
  return d;
}
const nowhere = () => ({ systemDir: dir(false), embeddedDir: dir(false) });
function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return assert.unreachable("expected an error") as never;
}
const labelsOf = (ds: { y: { kind: string; labels?: Int32Array } }) => ds.y.labels!;

test("the embedded subset loads: 6,000/1,000 raw pixels, 600/100 per class, checksums verified", () => {
  const data = loadFashionMnist({ subset: "embedded" });
  assert.is(data.source.name, "fashion-mnist-embedded");
  assert.is(data.source.location, EMBEDDED_FASHION_MNIST_DIR);
  assert.match(data.source.sha256, /^[0-9a-f]{64}$/);
  assert.is(data.train.rows, 6000);
  assert.is(data.test!.rows, 1000);
  assert.is(data.train.features, 784);
  assert.equal(classCounts(labelsOf(data.train), 10), new Array(10).fill(600));
  assert.equal(classCounts(labelsOf(data.test!), 10), new Array(10).fill(100));
  let max = 0;
  for (const v of data.train.x) if (v > max) max = v;
  assert.is(max, 255, "raw pixel values, not scaled");
  assert.is(verifyEmbeddedSubset().files.length, 4);
});

test("standardizing the embedded train set gives global mean ≈ 0, std ≈ 1 (atol 4·2⁻²⁴, see normalize.test.ts)", () => {
  const data = loadFashionMnist({ subset: "embedded" });
  const { train, stats } = standardize(data.train, data.test);
  const { mean, std } = globalMeanStd(train.x);
  assert.ok(Math.abs(mean) <= 4 * 2 ** -24 && Math.abs(std - 1) <= 4 * 2 ** -24, `mean ${mean} std ${std}`);
  assert.ok(stats.mean > 50 && stats.mean < 100, `Fashion-MNIST pixel mean ~73, got ${stats.mean}`);
});

test("a changed embedded file fails the checksum, naming the file", () => {
  const copy = dir(false);
  cpSync(EMBEDDED_FASHION_MNIST_DIR, copy, { recursive: true });
  const labelsPath = join(copy, "t10k-labels-idx1-ubyte.gz");
  const labels = readIdx(labelsPath);
  labels.data[0] = (labels.data[0] + 1) % 10;
  writeIdx(labelsPath, labels, { gzip: true });
  const msg = message(() => loadFashionMnist({ subset: "embedded" }, { systemDir: dir(false), embeddedDir: copy }));
  assert.ok(msg.includes(labelsPath) && msg.includes("differs from contentSha256"), msg);
});

test("search order: --data-dir, then GRADLAB_DATA_DIR, then the system dir, then the embedded subset", () => {
  const flag = dir(true), env = dir(true), system = dir(true), embedded = dir(true);
  const defaults = { systemDir: system, embeddedDir: embedded };
  const at = (opts: Parameters<typeof locateFashionMnist>[0], d = defaults) => {
    const l = locateFashionMnist(opts, d);
    return [l.via, l.dir];
  };
  assert.equal(at({ dataDir: flag, env: { GRADLAB_DATA_DIR: env } }), ["--data-dir", flag]);
  assert.equal(at({ env: { GRADLAB_DATA_DIR: env } }), ["GRADLAB_DATA_DIR", env]);
  assert.equal(at({ env: {} }), ["system", system]);
  assert.equal(at({}, { systemDir: dir(false), embeddedDir: embedded }), ["embedded", embedded]);
  assert.equal(at({ dataDir: flag, subset: "embedded" }), ["embedded", embedded]);
});

test("a data dir may hold the files itself or in fashion-mnist/, gzipped or not", () => {
  const parent = dir(false);
  const inner = join(parent, "fashion-mnist");
  mkdirSync(inner);
  for (const b of IDX_BASENAMES) writeFileSync(join(inner, b), "");
  const found = findFashionMnist({ dataDir: parent });
  assert.is(found?.dir, inner);
  assert.is(found?.files[0], join(inner, IDX_BASENAMES[0]));
  assert.is(findFashionMnist({ dataDir: dir(true, false) })?.kind, "full");
});

test("an explicit dir without the files is an error, never a silent fallback", () => {
  const empty = dir(false), good = dir(true);
  const defaults = { systemDir: good, embeddedDir: good };
  const flagMsg = message(() => locateFashionMnist({ dataDir: empty, env: { GRADLAB_DATA_DIR: good } }, defaults));
  assert.ok(flagMsg.includes(`--data-dir ${empty}`) && flagMsg.includes("missing: train-images-idx3-ubyte[.gz]"), flagMsg);
  assert.ok(flagMsg.includes("apt-get install dataset-fashion-mnist"), flagMsg);
  const envMsg = message(() => locateFashionMnist({ env: { GRADLAB_DATA_DIR: empty } }, defaults));
  assert.ok(envMsg.startsWith(`GRADLAB_DATA_DIR ${empty}`), envMsg);
});

test("when nothing is found the error lists every place and how to install", () => {
  const d = nowhere();
  const msg = message(() => loadFashionMnist({ env: {} }, d));
  for (const part of ["--data-dir", "GRADLAB_DATA_DIR", d.systemDir, join(d.systemDir, "fashion-mnist"), d.embeddedDir, "apt-get install dataset-fashion-mnist"]) {
    assert.ok(msg.includes(part), `"${part}" missing from: ${msg}`);
  }
  assert.ok(!message(() => locateFashionMnist({ subset: "full" }, d)).includes("embedded"), "subset full does not offer the subset");
  assert.is(findFashionMnist({}, d), null);
});

test("files of the wrong size are reported by name", () => {
  const d = dir(false);
  const tiny = (rows: number) => ({
    img: { type: "ubyte" as const, dims: [rows, 28, 28], data: new Uint8Array(rows * 784) },
    lab: { type: "ubyte" as const, dims: [rows], data: new Uint8Array(rows) },
  });
  const [tr, te] = [tiny(3), tiny(2)];
  writeIdx(join(d, IDX_BASENAMES[0]), tr.img);
  writeIdx(join(d, IDX_BASENAMES[1]), tr.lab);
  writeIdx(join(d, IDX_BASENAMES[2]), te.img);
  writeIdx(join(d, IDX_BASENAMES[3]), { ...te.lab, dims: [3], data: new Uint8Array(3) });
  const msg = message(() => loadFashionMnist({ dataDir: d }));
  assert.ok(msg.includes(join(d, IDX_BASENAMES[3])) && msg.includes("3 labels for the 2 images"), msg);
  writeIdx(join(d, IDX_BASENAMES[3]), te.lab);
  const rowsMsg = message(() => loadFashionMnist({ dataDir: d }));
  assert.ok(rowsMsg.includes("3 images, Fashion-MNIST has 60000"), rowsMsg);
});

// The full set is installed in CI (apt-get install dataset-fashion-mnist); elsewhere these skip.
const full = findFashionMnist({});
if (!full) console.log(`fashion-mnist.test: full Fashion-MNIST absent from ${SYSTEM_FASHION_MNIST_DIR}; skipping the 2 tests that need it`);
const withFull = full ? test : test.skip;

withFull("the full set loads: 60,000/10,000, 6,000/1,000 per class, known content", () => {
  const data = loadFashionMnist({ subset: "full" });
  assert.is(data.source.name, "fashion-mnist");
  assert.equal(classCounts(labelsOf(data.train), 10), new Array(10).fill(6000));
  assert.equal(classCounts(labelsOf(data.test!), 10), new Array(10).fill(1000));
  assert.match(data.source.description, /matches Debian's dataset-fashion-mnist/);
});

withFull("the embedded subset is exactly the first 600/100 rows per class of the full set", () => {
  const fullData = loadFashionMnist({ subset: "full" }), sub = loadFashionMnist({ subset: "embedded" });
  for (const [a, b, per] of [[fullData.train, sub.train, 600], [fullData.test!, sub.test!, 100]] as const) {
    const rows = firstRowsPerClass(labelsOf(a), 10, per, "full");
    assert.equal(Array.from(rows, (r) => labelsOf(a)[r]), Array.from(labelsOf(b)));
    for (let i = 0; i < rows.length; i += 97) {
      assert.equal(a.x.subarray(rows[i] * 784, (rows[i] + 1) * 784), b.x.subarray(i * 784, (i + 1) * 784));
    }
  }
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
