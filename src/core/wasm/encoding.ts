/**
 * Just enough of the WebAssembly binary format to write gradlab's kernels by hand: LEB128
 * numbers, sections, and the instructions the kernels use, by their names in the spec
 * (https://webassembly.github.io/spec/core/binary/). No wasm toolchain is needed at build
 * or run time; the bytes are put together when a kernel is first instantiated.
 */

export type Code = number[];

/** Unsigned LEB128. */
export function uleb(n: number): Code {
  const out: Code = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (i32 constants). */
export function sleb(n: number): Code {
  const out: Code = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
/** the block type of a block that leaves nothing */
export const EMPTY = 0x40;
export const V128 = 0x7b;

const name = (s: string): Code => [...uleb(s.length), ...new TextEncoder().encode(s)];
const section = (id: number, body: Code): Code => [id, ...uleb(body.length), ...body];
const simd = (op: number): Code => [0xfd, ...uleb(op)];
/** memarg: log2 of the alignment, then the static offset */
const memarg = (alignLog2: number, offset: number): Code => [...uleb(alignLog2), ...uleb(offset)];

export const op = {
  localGet: (i: number): Code => [0x20, ...uleb(i)],
  localSet: (i: number): Code => [0x21, ...uleb(i)],
  i32Const: (n: number): Code => [0x41, ...sleb(n)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32And: [0x71],
  i32Mul: [0x6c],
  i32ShrU: [0x76],
  i32Ne: [0x47],
  i32LtU: [0x49],
  i32GtU: [0x4b],
  i32GeU: [0x4f],
  select: [0x1b],
  f32Load: (offset = 0): Code => [0x2a, ...memarg(2, offset)],
  f32Store: (offset = 0): Code => [0x38, ...memarg(2, offset)],
  v128Load: (offset = 0): Code => [...simd(0x00), ...memarg(4, offset)],
  v128Load32Splat: (offset = 0): Code => [...simd(0x09), ...memarg(2, offset)],
  v128Store: (offset = 0): Code => [...simd(0x0b), ...memarg(4, offset)],
  v128Zero: [...simd(0x0c), ...new Array(16).fill(0)],
  f32x4Splat: simd(0x13),
  f32x4ExtractLane: (lane: number): Code => [...simd(0x1f), lane],
  f32x4Add: simd(0xe4),
  f32x4Max: simd(0xe9),
  f32Lt: [0x5d],
  f32Mul: [0x94],
  f32Max: [0x97],
  f32Const: (x: number): Code => [0x43, ...new Uint8Array(Float32Array.of(x).buffer)],
  f64Const: (x: number): Code => [0x44, ...new Uint8Array(Float64Array.of(x).buffer)],
  f64Lt: [0x63],
  f64Gt: [0x64],
  f64Add: [0xa0],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  f64Div: [0xa3],
  f64Sqrt: [0x9f],
  f32DemoteF64: [0xb6],
  f64ConvertI32U: [0xb8],
  f64PromoteF32: [0xbb],
  f32x4Mul: simd(0xe6),
};

/** `if (cond) { body }` */
export function ifThen(cond: Code, body: Code): Code {
  return [...cond, 0x04, 0x40, ...body, 0x0b];
}

/** `cond ? then : otherwise`, each arm leaving one value of `type` */
export function ifElse(cond: Code, type: number, then: Code, otherwise: Code): Code {
  return [...cond, 0x04, type, ...then, 0x05, ...otherwise, 0x0b];
}

/** `while (!exit) { body }`: a block around a loop that leaves when `exit` is true. */
export function loopUntil(exit: Code, body: Code): Code {
  return [0x02, 0x40, 0x03, 0x40, ...exit, 0x0d, 0x01, ...body, 0x0c, 0x00, 0x0b, 0x0b];
}

export interface FunctionDef {
  exportName: string;
  params: number[];
  /** the result types (none when left out) */
  results?: number[];
  /** extra locals, as [count, type] runs */
  locals: [number, number][];
  body: Code;
}

/**
 * A module of the given functions over one imported memory `env.memory`, shared, of at most
 * `maxPages` pages of 64 KiB.
 */
export function moduleBytes(functions: FunctionDef[], maxPages: number): Uint8Array<ArrayBuffer> {
  const types = functions.flatMap((f) => {
    const results = f.results ?? [];
    return [0x60, ...uleb(f.params.length), ...f.params, ...uleb(results.length), ...results];
  });
  const memoryImport = [...name("env"), ...name("memory"), 0x02, 0x03, ...uleb(1), ...uleb(maxPages)];
  const exports = functions.flatMap((f, i) => [...name(f.exportName), 0x00, ...uleb(i)]);
  const bodies = functions.flatMap((f) => {
    const body = [...uleb(f.locals.length), ...f.locals.flatMap(([count, type]) => [...uleb(count), type]), ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(functions.length), ...types]),
    ...section(2, [0x01, ...memoryImport]),
    ...section(3, [...uleb(functions.length), ...functions.map((_, i) => i)]),
    ...section(7, [...uleb(functions.length), ...exports]),
    ...section(10, [...uleb(functions.length), ...bodies]),
  ]);
}
