/**
 * A directory of outputs that gradlab owns (a plot's page, CSV files, a check's page): built
 * aside and swapped in whole by replaceDirectory, with a manifest, `gradlab-output.json`,
 * naming what it holds. A directory is replaced only when it is absent, empty or holds that
 * manifest, so pointing a flag at a directory of other files cannot delete them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { checkOutputDirectory, OutputPathError } from "./output-path.ts";
import { replaceDirectory } from "./replace-directory.ts";

/** The manifest every output directory gets, listing what gradlab wrote there. */
export const OUTPUT_MANIFEST = "gradlab-output.json";

/** A file to write, relative to the directory. */
export interface OutputFile {
  path: string;
  text: string;
}

/**
 * Throws an OutputPathError naming `flag` unless `dir` can be (re)placed: absent, an empty
 * directory, or one gradlab wrote. Call it before the long work.
 *
 * @example
 * checkOutputDir("report-check", "--html");
 */
export function checkOutputDir(dir: string, flag: string): void {
  const real = checkOutputDirectory(dir, flag);
  if (!existsSync(real)) return;
  const entries = readdirSync(real);
  if (entries.length > 0 && !entries.includes(OUTPUT_MANIFEST)) {
    throw new OutputPathError(`${flag}: ${dir} holds files gradlab did not write (no ${OUTPUT_MANIFEST}); give a new or empty directory`);
  }
}

/**
 * Writes `files` as the whole content of `dir`, with the manifest (`command` in it): built
 * beside it and swapped in; nothing of the old content is kept.
 *
 * @example
 * await writeOutputDir("runs/e1-plot", [{ path: "index.html", text: html }], "--out", "gradlab plot runs/e1.json");
 */
export async function writeOutputDir(dir: string, files: readonly OutputFile[], flag: string, command: string): Promise<void> {
  checkOutputDir(dir, flag);
  for (const f of files) {
    if (f.path === OUTPUT_MANIFEST || f.path.startsWith("/") || f.path.split("/").includes("..")) throw new Error(`bad output file name ${f.path}`);
  }
  try {
    await replaceDirectory(dir, async (aside) => {
      for (const f of files) {
        mkdirSync(dirname(join(aside, f.path)), { recursive: true });
        writeFileSync(join(aside, f.path), f.text);
      }
      const manifest = { writtenBy: "gradlab", command, files: files.map((f) => f.path) };
      writeFileSync(join(aside, OUTPUT_MANIFEST), JSON.stringify(manifest, null, 1) + "\n");
    });
  } catch (e) {
    throw new Error(`${flag}: could not write ${dir}: ${(e as Error).message}`);
  }
}

/**
 * The manifest of an output directory, or null when it has none (for tests and tools).
 *
 * @example
 * readOutputManifest("runs/e1-plot")?.files; // ["index.html", "figures/run-loss.svg", …]
 */
export function readOutputManifest(dir: string): { writtenBy: string; command: string; files: string[] } | null {
  try {
    return JSON.parse(readFileSync(join(dir, OUTPUT_MANIFEST), "utf8"));
  } catch {
    return null;
  }
}
