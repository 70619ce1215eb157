/**
 * Replacing a directory whole: its new contents are built in a fresh directory beside it
 * (same parent, so the same file system) and swapped in by two renames once complete. A
 * failure or signal while building removes the new directory and leaves the old one as it
 * was; entries of the old directory that the caller did not make are carried over.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { onExit } from "signal-exit";
import { writeTarget } from "./write-target.ts";

export interface ReplaceDirectoryOptions {
  /** entries of the old directory to keep (moved into the new one unless it has them): those the caller did not make */
  carryOver?: (name: string) => boolean;
}

/**
 * Builds the directory `target` anew with `fill` (which writes into the directory it is
 * given) and swaps it in. Returns the directory's real path.
 *
 * @example
 * await replaceDirectory("report", async (dir) => writeFileSync(join(dir, "index.html"), html));
 */
export async function replaceDirectory(target: string, fill: (dir: string) => Promise<void>, options: ReplaceDirectoryOptions = {}): Promise<string> {
  const carryOver = options.carryOver ?? (() => false);
  const final = writeTarget(target);
  if (final.kind !== "absent" && final.kind !== "directory") throw new Error(`${target}: is not a directory`);
  const parent = dirname(final.path), base = basename(final.path);
  mkdirSync(parent, { recursive: true });
  recoverInterrupted(parent, base, carryOver);
  const aside = mkdtempSync(join(parent, `.${base}.new-${process.pid}-`));
  const removeAside = () => rmSync(aside, { recursive: true, force: true });
  const stopWatching = onExit(removeAside);
  try {
    await fill(aside);
    if (existsSync(final.path)) {
      const old = `${aside.replace(`.${base}.new-`, `.${base}.old-`)}`;
      renameSync(final.path, old);
      try {
        renameSync(aside, final.path);
      } catch (error) {
        renameSync(old, final.path);
        throw error;
      }
      carry(old, final.path, carryOver);
    } else {
      renameSync(aside, final.path);
    }
  } catch (error) {
    removeAside();
    throw error;
  } finally {
    stopWatching();
  }
  return final.path;
}

/** Moves the entries to keep from `from` into `to` (unless `to` has them), then removes `from`. */
function carry(from: string, to: string, carryOver: (name: string) => boolean): void {
  for (const name of readdirSync(from)) {
    if (carryOver(name) && !existsSync(join(to, name))) renameSync(join(from, name), join(to, name));
  }
  rmSync(from, { recursive: true, force: true });
}

/**
 * Finishes what a killed process left beside `parent/base`: a half-built new directory is
 * removed; an old one whose swap was cut short is put back (when nothing replaced it) or has
 * its kept entries carried over.
 */
function recoverInterrupted(parent: string, base: string, carryOver: (name: string) => boolean): void {
  const pattern = new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(new|old)-(\\d+)-`);
  for (const name of readdirSync(parent)) {
    const m = pattern.exec(name);
    if (!m || isAlive(Number(m[2]))) continue;
    const path = join(parent, name), final = join(parent, base);
    if (m[1] === "new") rmSync(path, { recursive: true, force: true });
    else if (!existsSync(final)) renameSync(path, final);
    else carry(path, final, carryOver);
  }
}

/** Whether a process with this pid is alive (this one always is). */
export function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
