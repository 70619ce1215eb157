/**
 * The batch `check` measures on: the user's (`--data` as IDX, CSV or JSON) or standard-normal
 * inputs drawn from a seed. Plain data: rows × features, row-major, with optional targets.
 * Every problem is an error naming the file and the row, column or field.
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { Rng } from "../core/mod.ts";
import { type IdxArray, maybeGunzip, parseIdx } from "../data/mod.ts";

/** Targets a batch file carries: class labels, or one row of values per input row. */
export type BatchTargets =
  | { kind: "classes"; labels: Int32Array }
  | { kind: "values"; values: Float32Array; width: number };

/** A batch of inputs (and maybe targets), as plain data. */
export interface CheckBatch {
  /** rows × features, row-major */
  x: Float32Array;
  rows: number;
  features: number;
  targets: BatchTargets | null;
  /** where it came from, in words: "standard normal, seed 7" or the file */
  source: string;
  /** what was done to the values ("none", "x/255 (ubyte IDX)") */
  preprocessing: string;
}

/** How to read a batch file. */
export interface BatchFileOptions {
  /** IDX file of labels for an IDX data file */
  labels?: string;
  /** CSV: the column that holds the labels or targets (default: a column named "label", if any) */
  labelColumn?: string;
  /** divide every input value by this; default 255 for unsigned-byte IDX files (pixels), else 1 */
  scale?: number;
  /** keep the first `rows` rows (default: all; `gradlab check` passes 256, one training batch) */
  rows?: number;
}

/** The file formats `readBatchFile` tells apart by content. */
export type BatchFormat = "idx" | "json" | "csv";

/**
 * Standard-normal inputs, N(0, 1) per feature, drawn from `seed` (the Glorot & Bengio setting
 * of unit-variance inputs, and E6's); no targets.
 *
 * @example
 * const batch = standardNormalBatch(256, 784, 7);
 */
export function standardNormalBatch(rows: number, features: number, seed: number): CheckBatch {
  const rng = new Rng(seed).fork("check/inputs");
  const x = new Float32Array(rows * features);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  return { x, rows, features, targets: null, source: `standard normal N(0, 1), seed ${seed}`, preprocessing: "none" };
}

/**
 * Which format a file's bytes are: IDX (its magic, gzipped or not), JSON (starts with "{"),
 * else CSV.
 */
export function sniffFormat(bytes: Uint8Array, name: string): BatchFormat {
  const raw = maybeGunzip(bytes, name);
  if (raw.length >= 4 && raw[0] === 0 && raw[1] === 0 && raw[2]! >= 0x08 && raw[2]! <= 0x0e) return "idx";
  const text = new TextDecoder().decode(raw.subarray(0, 64)).trimStart();
  return text.startsWith("{") ? "json" : "csv";
}

/**
 * Reads a batch from a file: IDX (data, with labels from `options.labels`), CSV (a header
 * row; numeric columns; the label column as targets) or JSON (`{"x": rows, "y": labels or
 * target rows}`, rows nested as deep as the input's shape). `flag` names where the path came
 * from in errors ("--data").
 *
 * @example
 * const batch = readBatchFile("t10k-images-idx3-ubyte.gz", { labels: "t10k-labels-idx1-ubyte.gz", rows: 256 }, "--data");
 */
export function readBatchFile(path: string, options: BatchFileOptions = {}, flag = "data"): CheckBatch {
  const where = `${flag} ${path}`;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${where}: cannot read: ${(e as Error).message}`);
  }
  const format = sniffFormat(bytes, where);
  if (options.labels !== undefined && format !== "idx") throw new Error(`${where}: --labels goes with an IDX data file; this is ${format.toUpperCase()}, which holds its own labels`);
  if (options.labelColumn !== undefined && format !== "csv") throw new Error(`${where}: --label-column goes with a CSV file; this is ${format.toUpperCase()}`);
  if (options.scale !== undefined && !(options.scale > 0 && Number.isFinite(options.scale))) throw new Error(`--scale: expected a positive number, got ${options.scale}`);
  if (options.rows !== undefined && (!Number.isInteger(options.rows) || options.rows < 2)) throw new Error(`--batch: expected an integer ≥ 2, got ${options.rows}`);
  const batch = format === "idx" ? fromIdx(bytes, where, options) : format === "json" ? fromJson(bytes, where) : fromCsv(bytes, where, options.labelColumn);
  return finish(batch, where, options, format);
}

function finish(b: CheckBatch, where: string, options: BatchFileOptions, format: BatchFormat): CheckBatch {
  if (b.rows < 2) throw new Error(`${where}: ${b.rows} row${b.rows === 1 ? "" : "s"}; variances need at least 2`);
  const rows = Math.min(b.rows, options.rows ?? b.rows);
  const x = b.x.subarray(0, rows * b.features);
  const scale = options.scale ?? (format === "idx" && b.preprocessing === "ubyte IDX" ? 255 : 1);
  const scaled = scale === 1 ? Float32Array.from(x) : Float32Array.from(x, (v) => v / scale);
  const first = scaled.findIndex((v) => !Number.isFinite(v));
  if (first >= 0) throw new Error(`${where}: row ${Math.floor(first / b.features)}, feature ${first % b.features} is ${scaled[first]}, expected a finite number`);
  let targets = b.targets;
  if (targets?.kind === "classes") targets = { kind: "classes", labels: targets.labels.slice(0, rows) };
  else if (targets) targets = { ...targets, values: targets.values.slice(0, rows * targets.width) };
  return {
    x: scaled,
    rows,
    features: b.features,
    targets,
    source: `${where.replace(/^\S+ /, "")}${rows < b.rows ? ` (first ${rows} of ${b.rows} rows)` : ""}`,
    preprocessing: scale === 1 ? "none" : `x/${scale}${options.scale === undefined ? " (unsigned-byte IDX: pixels)" : ""}`,
  };
}

function fromIdx(bytes: Uint8Array, where: string, options: BatchFileOptions): CheckBatch {
  const data = parseIdx(maybeGunzip(bytes, where), where);
  if (data.dims.length < 2) throw new Error(`${where}: IDX dims [${data.dims.join(", ")}]: expected rows × features (at least 2 dimensions)`);
  const rows = data.dims[0]!;
  const features = data.dims.slice(1).reduce((a, b) => a * b, 1);
  let targets: BatchTargets | null = null;
  if (options.labels !== undefined) {
    const lw = `--labels ${options.labels}`;
    let labelBytes: Uint8Array;
    try {
      labelBytes = readFileSync(options.labels);
    } catch (e) {
      throw new Error(`${lw}: cannot read: ${(e as Error).message}`);
    }
    const labels: IdxArray = parseIdx(maybeGunzip(labelBytes, lw), lw);
    if (labels.dims.length !== 1 || ["float", "double"].includes(labels.type)) {
      throw new Error(`${lw}: IDX ${labels.type} with dims [${labels.dims.join(", ")}]: expected one integer label per row (1 dimension)`);
    }
    if (labels.dims[0] !== rows) throw new Error(`${lw}: ${labels.dims[0]} labels for the ${rows} rows of ${where}`);
    targets = { kind: "classes", labels: Int32Array.from(labels.data as ArrayLike<number>) };
  }
  // preprocessing carries the element type to `finish`, which picks the default scale from it
  // only the rows kept are converted (an IDX file may hold 60,000 images)
  const kept = data.data.subarray(0, Math.min(rows, options.rows ?? rows) * features);
  return { x: Float32Array.from(kept as ArrayLike<number>), rows, features, targets, source: where, preprocessing: `${data.type} IDX` };
}

function fromJson(bytes: Uint8Array, where: string): CheckBatch {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new Error(`${where}: not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${where}: expected an object {"x": rows, "y": labels (optional)}`);
  const { x, y, ...extra } = value as Record<string, unknown>;
  const unknown = Object.keys(extra);
  if (unknown.length) throw new Error(`${where}: unknown field ${JSON.stringify(unknown[0])}; expected "x" and optionally "y"`);
  if (!Array.isArray(x)) throw new Error(`${where}: /x: expected an array of rows, got ${describe(x)}`);
  const rows = x.map((row, i) => flattenNumbers(row, `${where}: /x/${i}`));
  const features = rows[0]?.length ?? 0;
  rows.forEach((r, i) => {
    if (r.length !== features) throw new Error(`${where}: /x/${i} has ${r.length} numbers, /x/0 has ${features}`);
  });
  const flat = new Float32Array(rows.length * features);
  rows.forEach((r, i) => flat.set(r, i * features));
  let targets: BatchTargets | null = null;
  if (y !== undefined) {
    if (!Array.isArray(y)) throw new Error(`${where}: /y: expected an array (a label or a row of targets per row), got ${describe(y)}`);
    if (y.length !== rows.length) throw new Error(`${where}: /y has ${y.length} entries for the ${rows.length} rows of /x`);
    if (y.every((v) => typeof v === "number")) {
      y.forEach((v, i) => {
        if (!Number.isInteger(v) || (v as number) < 0) throw new Error(`${where}: /y/${i} is ${v}, expected a class label (an integer ≥ 0); give target rows as arrays`);
      });
      targets = { kind: "classes", labels: Int32Array.from(y as number[]) };
    } else {
      const t = y.map((row, i) => flattenNumbers(row, `${where}: /y/${i}`));
      const width = t[0]?.length ?? 0;
      t.forEach((r, i) => {
        if (r.length !== width) throw new Error(`${where}: /y/${i} has ${r.length} numbers, /y/0 has ${width}`);
      });
      const values = new Float32Array(t.length * width);
      t.forEach((r, i) => values.set(r, i * width));
      targets = { kind: "values", values, width };
    }
  }
  return { x: flat, rows: rows.length, features, targets, source: where, preprocessing: "none" };
}

function describe(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "string" ? JSON.stringify(v.length > 20 ? v.slice(0, 20) + "…" : v) : typeof v;
}

/** A row as a flat list of finite numbers (nested arrays flattened in order). */
function flattenNumbers(row: unknown, where: string): number[] {
  if (typeof row === "number") return [row];
  if (!Array.isArray(row)) throw new Error(`${where}: expected a number or an array of numbers, got ${describe(row)}`);
  const out: number[] = [];
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) v.forEach((u, i) => walk(u, `${path}/${i}`));
    else if (typeof v === "number" && Number.isFinite(v)) out.push(v);
    else throw new Error(`${path}: expected a finite number, got ${describe(v)}`);
  };
  walk(row, where);
  return out;
}

function fromCsv(bytes: Uint8Array, where: string, labelColumn: string | undefined): CheckBatch {
  let records: string[][];
  try {
    records = parse(new TextDecoder().decode(bytes), { skip_empty_lines: true, trim: true });
  } catch (e) {
    throw new Error(`${where}: not valid CSV: ${(e as Error).message}`);
  }
  const header = records[0];
  if (!header) throw new Error(`${where}: empty; expected a header row and data rows`);
  if (header.some((h) => h !== "" && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(h))) {
    throw new Error(`${where}: line 1 looks like data (${header.slice(0, 3).join(",")}…); the first line must name the columns`);
  }
  const labelAt = labelColumn !== undefined ? header.indexOf(labelColumn) : header.indexOf("label");
  if (labelColumn !== undefined && labelAt < 0) throw new Error(`--label-column: ${where} has no column ${JSON.stringify(labelColumn)} (columns: ${header.join(", ")})`);
  const featureColumns = header.map((_, i) => i).filter((i) => i !== labelAt);
  const body = records.slice(1);
  const x = new Float32Array(body.length * featureColumns.length);
  const labels: number[] = [];
  body.forEach((record, r) => {
    const cell = (c: number) => {
      const text = record[c] ?? "";
      const v = Number(text);
      if (text === "" || !Number.isFinite(v)) throw new Error(`${where}: row ${r + 1} (line ${r + 2}), column ${JSON.stringify(header[c])}: expected a number, got ${JSON.stringify(text)}`);
      return v;
    };
    featureColumns.forEach((c, j) => (x[r * featureColumns.length + j] = cell(c)));
    if (labelAt >= 0) labels.push(cell(labelAt));
  });
  let targets: BatchTargets | null = null;
  if (labelAt >= 0) {
    const bad = labels.findIndex((v) => !Number.isInteger(v) || v < 0);
    targets = bad < 0
      ? { kind: "classes", labels: Int32Array.from(labels) }
      : { kind: "values", values: Float32Array.from(labels), width: 1 };
  }
  return { x, rows: body.length, features: featureColumns.length, targets, source: where, preprocessing: "none" };
}
