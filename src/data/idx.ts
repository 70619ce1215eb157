/**
 * The IDX file format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
 * a 4-byte magic `0x00 0x00 <type> <ndims>`, `ndims` big-endian uint32 dimension sizes,
 * then the values, big-endian, row-major. Files may be gzipped; that is detected from the
 * gzip magic `1f 8b`, not from the file name.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";

/** IDX element types, by the code in the third magic byte. */
const TYPES = {
  0x08: { name: "ubyte", size: 1 },
  0x09: { name: "sbyte", size: 1 },
  0x0b: { name: "short", size: 2 },
  0x0c: { name: "int", size: 4 },
  0x0d: { name: "float", size: 4 },
  0x0e: { name: "double", size: 8 },
} as const;

export type IdxType = (typeof TYPES)[keyof typeof TYPES]["name"];
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A decoded IDX array: its element type, its dimensions and its values, row-major. */
export interface IdxArray {
  type: IdxType;
  dims: number[];
  data: IdxData;
}

function typeCode(type: IdxType): number {
  for (const [code, t] of Object.entries(TYPES)) if (t.name === type) return Number(code);
  throw new Error(`IDX: unknown element type "${type}"`);
}

/**
 * True when `bytes` start with the gzip magic number `1f 8b`.
 *
 * @example
 * isGzip(readFileSync("t10k-labels-idx1-ubyte.gz")); // true
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decodes IDX bytes (already gunzipped); `name` (usually the file path) is put in every error.
 *
 * @example
 * const labels = parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 3]), "labels");
 * // { type: "ubyte", dims: [2], data: Uint8Array [7, 3] }
 */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  if (bytes.length < 4) throw new Error(`${name}: not an IDX file: ${bytes.length} bytes, shorter than the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new Error(`${name}: wrong magic number ${hex}, expected 00 00 <type> <ndims>`);
  }
  const code = bytes[2];
  const type = TYPES[code as keyof typeof TYPES];
  if (!type) throw new Error(`${name}: unknown IDX data type 0x${code.toString(16).padStart(2, "0")}, expected one of 08 09 0b 0c 0d 0e`);
  const ndims = bytes[3];
  if (ndims === 0) throw new Error(`${name}: IDX header declares 0 dimensions, expected at least 1`);
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new Error(`${name}: truncated header: ${ndims} dimensions need ${headerBytes} bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * type.size;
  if (bytes.length < expected) {
    throw new Error(`${name}: truncated: dims [${dims.join(", ")}] of ${type.name} need ${expected} bytes, got ${bytes.length}`);
  }
  if (bytes.length > expected) {
    throw new Error(`${name}: ${bytes.length - expected} trailing bytes: dims [${dims.join(", ")}] of ${type.name} need exactly ${expected} bytes, got ${bytes.length}`);
  }
  return { type: type.name, dims, data: decodeValues(view, headerBytes, count, type.name) };
}

function decodeValues(view: DataView, at: number, count: number, type: IdxType): IdxData {
  switch (type) {
    case "ubyte": return new Uint8Array(view.buffer.slice(view.byteOffset + at, view.byteOffset + at + count));
    case "sbyte": return new Int8Array(view.buffer.slice(view.byteOffset + at, view.byteOffset + at + count));
    case "short": return Int16Array.from({ length: count }, (_, i) => view.getInt16(at + 2 * i, false));
    case "int": return Int32Array.from({ length: count }, (_, i) => view.getInt32(at + 4 * i, false));
    case "float": return Float32Array.from({ length: count }, (_, i) => view.getFloat32(at + 4 * i, false));
    case "double": return Float64Array.from({ length: count }, (_, i) => view.getFloat64(at + 8 * i, false));
  }
}

/**
 * Reads an IDX file, gunzipping it first when it starts with the gzip magic.
 *
 * @example
 * const images = readIdx("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
 * // images.dims = [10000, 28, 28], images.type = "ubyte"
 */
export function readIdx(path: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot read IDX file: ${(e as Error).message}`);
  }
  return parseIdx(maybeGunzip(bytes, path), path);
}

/**
 * Gunzips `bytes` when they carry the gzip magic, else returns them unchanged.
 *
 * @example
 * const idx = parseIdx(maybeGunzip(readFileSync(path), path), path);
 */
export function maybeGunzip(bytes: Uint8Array, name: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new Error(`${name}: starts with the gzip magic but does not gunzip: ${(e as Error).message}`);
  }
}

/**
 * Encodes an array as IDX bytes (big-endian), the inverse of `parseIdx`.
 *
 * @example
 * encodeIdx({ type: "ubyte", dims: [2], data: new Uint8Array([7, 3]) });
 * // Uint8Array [0, 0, 8, 1, 0, 0, 0, 2, 7, 3]
 */
export function encodeIdx(arr: IdxArray): Uint8Array {
  const size = TYPES[typeCode(arr.type) as keyof typeof TYPES].size;
  const count = arr.dims.reduce((a, b) => a * b, 1);
  if (arr.data.length !== count) throw new Error(`encodeIdx: ${arr.data.length} values for dims [${arr.dims.join(", ")}] (${count})`);
  const header = 4 + 4 * arr.dims.length;
  const out = new Uint8Array(header + count * size);
  const view = new DataView(out.buffer);
  out[2] = typeCode(arr.type);
  out[3] = arr.dims.length;
  arr.dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const v = arr.data[i], at = header + i * size;
    switch (arr.type) {
      case "ubyte": view.setUint8(at, v); break;
      case "sbyte": view.setInt8(at, v); break;
      case "short": view.setInt16(at, v, false); break;
      case "int": view.setInt32(at, v, false); break;
      case "float": view.setFloat32(at, v, false); break;
      case "double": view.setFloat64(at, v, false); break;
    }
  }
  return out;
}

/**
 * Writes an IDX file (gzipped at level 9 with `gzip: true`) and returns the bytes written.
 * Gzipped bytes can differ between runtimes (Bun's and Deno's zlib); the content does not.
 *
 * @example
 * writeIdx("/tmp/labels-idx1-ubyte.gz", { type: "ubyte", dims: [2], data: new Uint8Array([7, 3]) }, { gzip: true });
 */
export function writeIdx(path: string, arr: IdxArray, opts: { gzip?: boolean } = {}): Uint8Array {
  const raw = encodeIdx(arr);
  const bytes = opts.gzip ? new Uint8Array(gzipSync(raw, { level: 9 })) : raw;
  writeFileSync(path, bytes);
  return bytes;
}

/**
 * Checks an array's type and dimensions (`null` matches any size), naming `name` on failure.
 *
 * @example
 * expectIdx(readIdx(path), "ubyte", [null, 28, 28], path); // throws unless N×28×28 bytes
 */
export function expectIdx(arr: IdxArray, type: IdxType, dims: (number | null)[], name: string): void {
  const want = `[${dims.map((d) => d ?? "N").join(", ")}]`;
  if (arr.type !== type) throw new Error(`${name}: IDX data type ${arr.type}, expected ${type}`);
  if (arr.dims.length !== dims.length || dims.some((d, i) => d !== null && d !== arr.dims[i])) {
    throw new Error(`${name}: dims [${arr.dims.join(", ")}], expected ${want}`);
  }
}
