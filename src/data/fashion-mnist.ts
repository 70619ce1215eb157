/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 60,000 train / 10,000 test 28×28 greyscale
 * images of 10 clothing classes, read from the original IDX files. Features are the RAW
 * pixel values 0–255 as float32 (standardization is a separate step, see normalize.ts).
 *
 * Search order: `dataDir` (the CLI's --data-dir), else `env.GRADLAB_DATA_DIR`, else
 * /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist), else the embedded
 * subset. In a given directory the files are looked for in `dir` and in `dir/fashion-mnist`.
 */
import { join } from "node:path";
import type { TrainData } from "../core/dataset.ts";
import { IDX_BASENAMES, idxFilesIn, readIdxSet } from "./_internals/idx-files.ts";
import { classCounts } from "./_internals/rows.ts";
import { EMBEDDED_FASHION_MNIST_DIR, EMBEDDED_PER_CLASS, EMBEDDED_SOURCE_NAME, verifyEmbeddedSubset } from "./embedded-subset.ts";

/** Where Debian's `dataset-fashion-mnist` package puts the files. */
export const SYSTEM_FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/** sha256 of the gunzipped IDX files as shipped by dataset-fashion-mnist 0.0~git20200523.55506a9-1. */
const KNOWN_CONTENT_SHA256 = [
  "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
  "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
  "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
  "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
];

const INSTALL_HINT =
  "install the full set with `apt-get install dataset-fashion-mnist` (Debian/Ubuntu, puts it in " +
  `${SYSTEM_FASHION_MNIST_DIR}) or download the four IDX files from https://github.com/zalandoresearch/fashion-mnist ` +
  "and pass their directory with --data-dir or GRADLAB_DATA_DIR";

export interface FashionMnistOptions {
  /** a directory given explicitly (the CLI's --data-dir); missing files there are an error */
  dataDir?: string;
  /** environment to read GRADLAB_DATA_DIR from (the CLI passes process.env / Deno.env) */
  env?: Record<string, string | undefined>;
  /** "auto" (default): the full set if found, else the embedded subset; "full": the full set or an error; "embedded": always the subset */
  subset?: "auto" | "full" | "embedded";
}

/** A found copy of Fashion-MNIST: its directory, its four files and how it was found. */
export interface FashionMnistLocation {
  kind: "full" | "embedded";
  dir: string;
  /** train images, train labels, test images, test labels */
  files: string[];
  via: "--data-dir" | "GRADLAB_DATA_DIR" | "system" | "embedded";
}

/** Default places, replaceable in tests. */
export interface SearchDefaults {
  systemDir: string;
  embeddedDir: string;
}

const DEFAULTS: SearchDefaults = { systemDir: SYSTEM_FASHION_MNIST_DIR, embeddedDir: EMBEDDED_FASHION_MNIST_DIR };

/**
 * The full set's location following the search order, or null when neither an explicit
 * directory nor the system directory was given or found. An explicit directory (dataDir or
 * GRADLAB_DATA_DIR) that lacks the files throws: it is a mistake, not an absence.
 *
 * @example
 * const full = findFashionMnist({ env: process.env });
 * console.log(full ? `full set in ${full.dir}` : "full set absent");
 */
export function findFashionMnist(opts: FashionMnistOptions = {}, defaults: SearchDefaults = DEFAULTS): FashionMnistLocation | null {
  if (opts.dataDir === "") throw new Error("--data-dir: expected a directory, got an empty string");
  const explicit = opts.dataDir !== undefined
    ? { dir: opts.dataDir, via: "--data-dir" as const }
    : opts.env?.GRADLAB_DATA_DIR
    ? { dir: opts.env.GRADLAB_DATA_DIR, via: "GRADLAB_DATA_DIR" as const }
    : null;
  if (explicit) {
    const found = findIn(explicit.dir);
    if ("files" in found) return { kind: "full", dir: found.dir, files: found.files, via: explicit.via };
    throw new Error(
      `${explicit.via} ${explicit.dir}: no Fashion-MNIST there: looked in ${found.looked.join(" and ")} for ` +
        `${IDX_BASENAMES.map((b) => `${b}[.gz]`).join(", ")} (missing: ${found.missing.join(", ")}); ${INSTALL_HINT}`,
    );
  }
  const system = findIn(defaults.systemDir);
  return "files" in system ? { kind: "full", dir: system.dir, files: system.files, via: "system" } : null;
}

/** `dir` or `dir/fashion-mnist`, whichever holds all four files. */
function findIn(dir: string): { dir: string; files: string[] } | { looked: string[]; missing: string[] } {
  const looked = [dir, join(dir, "fashion-mnist")];
  let missing: string[] = [];
  for (const d of looked) {
    const r = idxFilesIn(d);
    if ("files" in r) return { dir: d, files: r.files };
    if (d === dir) missing = r.missing;
  }
  return { looked, missing };
}

/**
 * Where `loadFashionMnist` will read from, following the search order and `subset`;
 * throws listing every place it looked when nothing is found.
 *
 * @example
 * locateFashionMnist({ subset: "embedded" }).via; // "embedded"
 */
export function locateFashionMnist(opts: FashionMnistOptions = {}, defaults: SearchDefaults = DEFAULTS): FashionMnistLocation {
  const subset = opts.subset ?? "auto";
  if (subset !== "embedded") {
    const full = findFashionMnist(opts, defaults);
    if (full) return full;
  }
  const embedded = idxFilesIn(defaults.embeddedDir);
  if (subset !== "full" && "files" in embedded) {
    return { kind: "embedded", dir: defaults.embeddedDir, files: embedded.files, via: "embedded" };
  }
  const places = subset === "embedded"
    ? [`the embedded subset in ${defaults.embeddedDir}`]
    : [
      "--data-dir (not given)",
      "GRADLAB_DATA_DIR (not set)",
      `${defaults.systemDir} and ${join(defaults.systemDir, "fashion-mnist")}`,
      ...(subset === "auto" ? [`the embedded subset in ${defaults.embeddedDir}`] : []),
    ];
  throw new Error(`Fashion-MNIST not found; looked in: ${places.join("; ")}. To fix: ${INSTALL_HINT}`);
}

/**
 * Loads Fashion-MNIST as `TrainData`: 784 float32 features holding raw pixels 0–255,
 * labels as 10 classes; the full set (60,000/10,000) or the embedded subset (6,000/1,000,
 * checksums verified). `source` says which, where, and the sha256 over the four files.
 *
 * @example
 * const { train, test, source } = loadFashionMnist({ dataDir: flags.dataDir, env: process.env });
 * const quick = loadFashionMnist({ subset: "embedded" }); // same data on every machine
 */
export function loadFashionMnist(opts: FashionMnistOptions = {}, defaults: SearchDefaults = DEFAULTS): TrainData {
  const loc = locateFashionMnist(opts, defaults);
  if (loc.kind === "embedded") return loadEmbedded(loc.dir);
  const set = readIdxSet(loc.files, 1);
  for (const [ds, rows, file] of [[set.train, 60000, loc.files[0]], [set.test, 10000, loc.files[2]]] as const) {
    if (ds.rows !== rows) throw new Error(`${file}: ${ds.rows} images, Fashion-MNIST has ${rows}`);
  }
  const known = set.perFile.every((f, i) => f.contentSha256 === KNOWN_CONTENT_SHA256[i]);
  return {
    train: set.train,
    test: set.test,
    source: {
      name: "fashion-mnist",
      location: loc.dir,
      sha256: set.sha256,
      description:
        `Fashion-MNIST, 60,000 train / 10,000 test, raw pixels 0-255 (found via ${loc.via}); sha256 over ` +
        `${IDX_BASENAMES.join(", ")} bytes in that order; content ` +
        (known ? "matches Debian's dataset-fashion-mnist" : "differs from Debian's dataset-fashion-mnist (unverified copy)"),
    },
  };
}

function loadEmbedded(dir: string): TrainData {
  const { files } = verifyEmbeddedSubset(dir);
  const set = readIdxSet(files, 1);
  for (const [ds, perClass, file] of [[set.train, EMBEDDED_PER_CLASS.train, files[1]], [set.test, EMBEDDED_PER_CLASS.test, files[3]]] as const) {
    const counts = classCounts(ds.y.kind === "classes" ? ds.y.labels : [], 10);
    if (counts.some((c) => c !== perClass)) throw new Error(`${file}: class counts [${counts}], expected ${perClass} per class`);
  }
  return {
    train: set.train,
    test: set.test,
    source: {
      name: EMBEDDED_SOURCE_NAME,
      location: dir,
      sha256: set.sha256,
      description:
        `Fashion-MNIST embedded subset: the first ${EMBEDDED_PER_CLASS.train} train and ${EMBEDDED_PER_CLASS.test} test rows ` +
        `of each class in file order (6,000 / 1,000), raw pixels 0-255; checksums verified against manifest.json`,
    },
  };
}
