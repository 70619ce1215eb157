import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { encodeIdx, expectIdx, parseIdx, readIdx, writeIdx } from "./idx.ts";

const dir = mkdtempSync(join(tmpdir(), "gradlab-idx-"));
const images = { type: "ubyte" as const, dims: [3, 2, 2], data: Uint8Array.from({ length: 12 }, (_, i) => i * 20) };

function throwsWith(fn: () => unknown, ...parts: string[]) {
  try {
    fn();
  } catch (e) {
    const msg = (e as Error).message;
    for (const p of parts) assert.ok(msg.includes(p), `expected "${p}" in: ${msg}`);
    return;
  }
  assert.unreachable(`expected an error mentioning ${parts.join(", ")}`);
}

test("a plain IDX file round-trips", () => {
  const path = join(dir, "plain-idx3-ubyte");
  writeIdx(path, images);
  const back = readIdx(path);
  assert.is(back.type, "ubyte");
  assert.equal(back.dims, [3, 2, 2]);
  assert.equal(Array.from(back.data), Array.from(images.data));
});

test("a gzipped IDX file is detected by its magic, whatever its name", () => {
  const path = join(dir, "no-gz-suffix");
  writeIdx(path, images, { gzip: true });
  assert.is(readFileSync(path)[0], 0x1f);
  assert.equal(Array.from(readIdx(path).data), Array.from(images.data));
});

test("multi-byte types are big-endian", () => {
  const ints = { type: "int" as const, dims: [3], data: Int32Array.from([1, -2, 70000]) };
  const bytes = encodeIdx(ints);
  assert.equal(Array.from(bytes.subarray(0, 8)), [0, 0, 0x0c, 1, 0, 0, 0, 3]);
  assert.equal(Array.from(bytes.subarray(8, 12)), [0, 0, 0, 1]);
  assert.equal(Array.from(parseIdx(bytes, "ints").data), [1, -2, 70000]);
  const floats = { type: "float" as const, dims: [2], data: Float32Array.from([0.5, -3]) };
  assert.equal(Array.from(parseIdx(encodeIdx(floats), "floats").data), [0.5, -3]);
});

test("truncated data names the file and the byte counts", () => {
  const path = join(dir, "truncated");
  writeFileSync(path, encodeIdx(images).subarray(0, 20));
  throwsWith(() => readIdx(path), path, "truncated", "need 28 bytes, got 20");
});

test("trailing bytes are an error too", () => {
  const bytes = new Uint8Array([...encodeIdx(images), 0, 0]);
  throwsWith(() => parseIdx(bytes, "long"), "long", "2 trailing bytes", "exactly 28 bytes, got 30");
});

test("a truncated header is reported as such", () => {
  throwsWith(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 3]), "hdr"), "hdr", "truncated header", "need 16 bytes, got 8");
});

test("wrong magic, unknown type and zero dims", () => {
  throwsWith(() => parseIdx(new Uint8Array([1, 2, 8, 1, 0, 0, 0, 0]), "m"), "m:", "wrong magic number 01 02 08 01");
  throwsWith(() => parseIdx(new Uint8Array([0, 0, 7, 1, 0, 0, 0, 0]), "t"), "t:", "unknown IDX data type 0x07");
  throwsWith(() => parseIdx(new Uint8Array([0, 0, 8, 0]), "z"), "z:", "0 dimensions");
  throwsWith(() => parseIdx(new Uint8Array([0, 0]), "s"), "s:", "shorter than the 4-byte magic");
});

test("a gzip stream that does not gunzip names the file", () => {
  const path = join(dir, "bad.gz");
  writeFileSync(path, gzipSync(encodeIdx(images)).subarray(0, 15));
  throwsWith(() => readIdx(path), path, "does not gunzip");
});

test("expectIdx checks the dims a loader expects", () => {
  const arr = parseIdx(encodeIdx(images), "imgs");
  expectIdx(arr, "ubyte", [null, 2, 2], "imgs");
  throwsWith(() => expectIdx(arr, "ubyte", [null, 28, 28], "imgs"), "imgs", "dims [3, 2, 2], expected [N, 28, 28]");
  throwsWith(() => expectIdx(arr, "ubyte", [null], "imgs"), "expected [N]");
  throwsWith(() => expectIdx(arr, "int", [null, 2, 2], "imgs"), "data type ubyte, expected int");
});

test("a missing file names its path", () => {
  throwsWith(() => readIdx(join(dir, "absent")), join(dir, "absent"), "cannot read");
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
