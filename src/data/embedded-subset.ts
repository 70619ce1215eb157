/**
 * The embedded Fashion-MNIST subset committed under fixtures/data/fashion-mnist-embedded/:
 * the first 600 training rows and the first 100 test rows of each class, in file order,
 * stored as gzipped IDX files (read by the same reader as the full set) with a manifest of
 * checksums that the loader verifies.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { packagePath } from "../package/mod.ts";
import { encodeIdx, maybeGunzip, writeIdx } from "./idx.ts";
import { IDX_BASENAMES, readIdxSet } from "./_internals/idx-files.ts";
import { classCounts, firstRowsPerClass } from "./_internals/rows.ts";
import { sha256Bytes } from "./_internals/hash.ts";
import type { Dataset } from "../core/dataset.ts";
import { replaceDirectory } from "../output/mod.ts";

/** Where the embedded subset lives in this repository. */
export const EMBEDDED_FASHION_MNIST_DIR = packagePath("fixtures", "data", "fashion-mnist-embedded");

/** The embedded subset's source name (its manifest's, and the data's `source.name`): a cut of Fashion-MNIST, never the full set. */
export const EMBEDDED_SOURCE_NAME = "fashion-mnist-embedded";

/** Rows per class in the embedded subset. */
export const EMBEDDED_PER_CLASS = { train: 600, test: 100 } as const;

/** One file of the subset, as recorded in manifest.json. */
export interface ManifestFile {
  file: string;
  dims: number[];
  /** sha256 of the file's bytes (gzipped; Bun's and Deno's zlib compress differently) */
  sha256: string;
  /** sha256 of the gunzipped IDX content, verified on every load (the same whichever runtime wrote it) */
  contentSha256: string;
}

/** manifest.json: how the subset was made and what its files must hash to. */
export interface EmbeddedManifest {
  name: typeof EMBEDDED_SOURCE_NAME;
  command: string;
  selection: string;
  perClass: { train: number; test: number };
  source: { dir: string; files: { file: string; sha256: string; contentSha256: string }[] };
  files: ManifestFile[];
}

/** The subset's four files (in `IDX_BASENAMES` order) after checking them against manifest.json. */
export interface VerifiedSubset {
  dir: string;
  files: string[];
  manifest: EmbeddedManifest;
}

/**
 * Checks every subset file's gunzipped content against the sha256 in `dir/manifest.json`;
 * throws naming the file.
 *
 * @example
 * const { files } = verifyEmbeddedSubset(); // the four .gz paths, checksums verified
 */
export function verifyEmbeddedSubset(dir: string = EMBEDDED_FASHION_MNIST_DIR): VerifiedSubset {
  const manifestPath = join(dir, "manifest.json");
  let manifest: EmbeddedManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch (e) {
    throw new Error(`${manifestPath}: cannot read the embedded subset's manifest: ${(e as Error).message}`);
  }
  const files = IDX_BASENAMES.map((base) => {
    const entry = manifest.files?.find((f) => f.file === `${base}.gz`);
    if (!entry) throw new Error(`${manifestPath}: no entry for ${base}.gz`);
    const path = join(dir, entry.file);
    let actual: string;
    try {
      actual = sha256Bytes(maybeGunzip(readFileSync(path), path));
    } catch (e) {
      throw new Error(`${path}: embedded subset file missing or unreadable: ${(e as Error).message}`);
    }
    if (actual !== entry.contentSha256) {
      throw new Error(
        `${path}: content sha256 ${actual} differs from contentSha256 ${entry.contentSha256} in manifest.json; ` +
          "restore the file from git or regenerate the subset with scripts/make-embedded-subset.ts",
      );
    }
    return path;
  });
  return { dir, files, manifest };
}

/**
 * Makes the subset from the full set's four files (in `IDX_BASENAMES` order) and writes it,
 * with manifest.json, into `outDir` (built aside and swapped in whole). Returns the manifest.
 *
 * @example
 * await makeEmbeddedSubset(findFashionMnist({})!.files, "fixtures/data/fashion-mnist-embedded", "bun scripts/make-embedded-subset.ts");
 */
export async function makeEmbeddedSubset(sourceFiles: readonly string[], outDir: string, command: string): Promise<EmbeddedManifest> {
  const full = readIdxSet(sourceFiles, 1);
  let manifest: EmbeddedManifest | undefined;
  await replaceDirectory(outDir, async (dir) => {
    manifest = writeSubset(full, sourceFiles, dir, command);
  });
  return manifest!;
}

function writeSubset(full: ReturnType<typeof readIdxSet>, sourceFiles: readonly string[], outDir: string, command: string): EmbeddedManifest {
  const written: ManifestFile[] = [];
  const write = (ds: Dataset, perClass: number, images: string, labels: string) => {
    if (ds.y.kind !== "classes") throw new Error(`${labels}: expected class labels`);
    const labelsIn = ds.y.labels;
    const rows = firstRowsPerClass(labelsIn, 10, perClass, images);
    const pixels = new Uint8Array(rows.length * 784);
    rows.forEach((r, i) => pixels.set(ds.x.subarray(r * 784, (r + 1) * 784), i * 784));
    const picked = Uint8Array.from(rows, (r) => labelsIn[r]);
    for (const [name, arr] of [
      [images, { type: "ubyte", dims: [rows.length, 28, 28], data: pixels }],
      [labels, { type: "ubyte", dims: [rows.length], data: picked }],
    ] as const) {
      const file = `${name}.gz`;
      const idx = { ...arr, dims: [...arr.dims] };
      const bytes = writeIdx(join(outDir, file), idx, { gzip: true });
      const content = encodeIdx(idx);
      written.push({ file, dims: [...arr.dims], sha256: sha256Bytes(bytes), contentSha256: sha256Bytes(content) });
    }
    const counts = classCounts(picked, 10);
    if (counts.some((c) => c !== perClass)) throw new Error(`${labels}: class counts ${counts} after selection, expected ${perClass} each`);
  };
  write(full.train, EMBEDDED_PER_CLASS.train, IDX_BASENAMES[0], IDX_BASENAMES[1]);
  write(full.test, EMBEDDED_PER_CLASS.test, IDX_BASENAMES[2], IDX_BASENAMES[3]);
  const manifest: EmbeddedManifest = {
    name: EMBEDDED_SOURCE_NAME,
    command,
    selection:
      `the first ${EMBEDDED_PER_CLASS.train} rows of each class of train-images-idx3-ubyte and the first ` +
      `${EMBEDDED_PER_CLASS.test} of each class of t10k-images-idx3-ubyte, in file order (no randomness)`,
    perClass: { ...EMBEDDED_PER_CLASS },
    source: {
      dir: sourceFiles.length ? join(sourceFiles[0], "..") : "",
      files: full.perFile.map((f) => ({ file: basename(f.path), sha256: f.sha256, contentSha256: f.contentSha256 })),
    },
    files: written,
  };
  writeFileSync(join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}
