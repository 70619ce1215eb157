import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkOutputDirectory, checkOutputFile } from "./output-path.ts";

const tmp = mkdtempSync(join(tmpdir(), "gradlab-outpath-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
writeFileSync(join(tmp, "a-regular-file"), "x");
mkdirSync(join(tmp, "dir"));
symlinkSync("/dev/null", join(tmp, "null-link"));

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return "";
}

test("a file under a regular file is refused, naming the flag, the path and the file in the way", () => {
  const path = join(tmp, "a-regular-file", "x.json");
  assert.is(message(() => checkOutputFile(path, "--out")), `--out ${path}: ${join(tmp, "a-regular-file")} is a file, not a directory`);
  const deeper = join(tmp, "a-regular-file", "sub", "x.json");
  assert.match(message(() => checkOutputFile(deeper, "--json")), `--json ${deeper}: ${join(tmp, "a-regular-file")} is a file, not a directory`);
});

test("a directory where a file goes, an empty path, and - where standard output does not apply are refused", () => {
  assert.is(message(() => checkOutputFile(join(tmp, "dir"), "--out")), `--out ${join(tmp, "dir")}: is a directory; expected a file`);
  assert.is(message(() => checkOutputFile("", "--out")), "--out: expected a file path, got an empty string");
  assert.match(message(() => checkOutputFile("-", "--json")), "--json: - (standard output) does not apply here");
});

test("writable places pass: new files in new directories, existing files, -, devices through links", () => {
  assert.is(message(() => checkOutputFile(join(tmp, "new", "deeper", "x.json"), "--out")), "");
  assert.is(message(() => checkOutputFile(join(tmp, "a-regular-file"), "--out")), "");
  assert.is(message(() => checkOutputFile("-", "--out", { stdout: true })), "");
  assert.is(message(() => checkOutputFile(join(tmp, "null-link"), "--out")), "");
  assert.is(message(() => checkOutputFile("/dev/null", "--out")), "");
});

test("a directory output: not a file, not -, not under a file; a link is followed to the real directory", () => {
  assert.is(message(() => checkOutputDirectory(join(tmp, "a-regular-file"), "--out")), `--out ${join(tmp, "a-regular-file")}: is not a directory`);
  assert.match(message(() => checkOutputDirectory(join(tmp, "a-regular-file", "report"), "--out")), "a-regular-file is a file, not a directory");
  assert.match(message(() => checkOutputDirectory("-", "--out")), "--out: expected a directory; - (standard output) cannot hold one");
  assert.match(message(() => checkOutputDirectory("/", "--out")), "is the root directory");
  symlinkSync(join(tmp, "dir"), join(tmp, "dir-link"));
  assert.is(checkOutputDirectory(join(tmp, "dir-link"), "--out"), join(tmp, "dir"));
  assert.is(checkOutputDirectory(join(tmp, "new-report"), "--out"), join(tmp, "new-report"));
});

test.run();
