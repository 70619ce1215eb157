/** Finding and reading the four IDX files of an (Fashion-)MNIST-style directory. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import type { Dataset } from "../../core/dataset.ts";
import { checkDataset } from "../../core/dataset.ts";
import { expectIdx, maybeGunzip, parseIdx } from "../idx.ts";
import { sha256Bytes } from "./hash.ts";

/** The four files, in the order their bytes are hashed into `DataSource.sha256`. */
export const IDX_BASENAMES = [
  "train-images-idx3-ubyte",
  "train-labels-idx1-ubyte",
  "t10k-images-idx3-ubyte",
  "t10k-labels-idx1-ubyte",
] as const;

/** The four paths in `dir` (each `name.gz` or `name`), or the base names that are missing. */
export function idxFilesIn(dir: string): { files: string[] } | { missing: string[] } {
  const files: string[] = [], missing: string[] = [];
  for (const base of IDX_BASENAMES) {
    const found = [`${base}.gz`, base].map((n) => join(dir, n)).find(isFile);
    if (found) files.push(found);
    else missing.push(`${base}[.gz]`);
  }
  return missing.length ? { missing } : { files };
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** The decoded train/test sets plus checksums of what was read. */
export interface ReadIdxSet {
  train: Dataset;
  test: Dataset;
  /** sha256 over the four files' raw bytes, in `IDX_BASENAMES` order */
  sha256: string;
  /** per file: sha256 of the raw bytes and of the gunzipped IDX content */
  perFile: { path: string; sha256: string; contentSha256: string }[];
}

/**
 * Reads images (ubyte N×28×28) and labels (ubyte N) for train and test. Pixels become
 * float32 `pixel / pixelDivisor` (1 keeps raw 0–255, 255 gives [0, 1]). Labels must be in [0, 10).
 */
export function readIdxSet(files: readonly string[], pixelDivisor: number): ReadIdxSet {
  const whole = createHash("sha256");
  const perFile: ReadIdxSet["perFile"] = [];
  const arrays = files.map((path) => {
    const raw = readFileSync(path);
    whole.update(raw);
    const content = maybeGunzip(raw, path);
    perFile.push({ path, sha256: sha256Bytes(raw), contentSha256: sha256Bytes(content) });
    return parseIdx(content, path);
  });
  const [trImg, trLab, teImg, teLab] = arrays;
  const split = (img: typeof trImg, lab: typeof trLab, imgPath: string, labPath: string): Dataset => {
    expectIdx(img, "ubyte", [null, 28, 28], imgPath);
    expectIdx(lab, "ubyte", [null], labPath);
    if (img.dims[0] !== lab.dims[0]) {
      throw new Error(`${labPath}: ${lab.dims[0]} labels for the ${img.dims[0]} images of ${imgPath}`);
    }
    const x = new Float32Array(img.data.length);
    for (let i = 0; i < x.length; i++) x[i] = img.data[i] / pixelDivisor;
    const ds: Dataset = { x, rows: img.dims[0], features: 784, y: { kind: "classes", labels: Int32Array.from(lab.data), classes: 10 } };
    checkDataset(ds, labPath);
    return ds;
  };
  return {
    train: split(trImg, trLab, files[0], files[1]),
    test: split(teImg, teLab, files[2], files[3]),
    sha256: whole.digest("hex"),
    perFile,
  };
}
