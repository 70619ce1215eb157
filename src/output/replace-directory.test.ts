import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { replaceDirectory } from "./replace-directory.ts";

const tmp = mkdtempSync(join(tmpdir(), "gradlab-replace-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
function earlier(files: Record<string, string>): string {
  const dir = join(tmp, `r${n++}`, "report");
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
const listing = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), "utf8")]));

test("the new directory replaces the old whole; entries to carry over are kept unless remade", async () => {
  const dir = earlier({ "index.html": "old", "old-only.svg": "old", "notes.txt": "mine", "props.json": "old props" });
  await replaceDirectory(dir, async (aside) => {
    writeFileSync(join(aside, "index.html"), "new");
    writeFileSync(join(aside, "props.json"), "new props");
  }, { carryOver: (name) => name === "notes.txt" || name === "props.json" });
  assert.equal(listing(dir), { "index.html": "new", "notes.txt": "mine", "props.json": "new props" });
  assert.equal(readdirSync(join(dir, "..")), ["report"], "nothing left beside it");
});

test("a failure while building leaves the old directory as it was and nothing beside it", async () => {
  const dir = earlier({ "index.html": "old", "report.json": "{}" });
  let message = "";
  try {
    await replaceDirectory(dir, async (aside) => {
      writeFileSync(join(aside, "index.html"), "half");
      throw new Error("ENOSPC: no space left on device");
    });
  } catch (error) {
    message = (error as Error).message;
  }
  assert.match(message, "ENOSPC");
  assert.equal(listing(dir), { "index.html": "old", "report.json": "{}" });
  assert.equal(readdirSync(join(dir, "..")), ["report"]);
});

test("what a killed run left is tidied: a half-built directory removed, an old one whose swap was cut short put back", async () => {
  const dead = 2 ** 22 + 12345; // above Linux's pid_max default, so no such process
  const dir = earlier({ "keep.txt": "x" });
  const parent = join(dir, "..");
  mkdirSync(join(parent, `.report.new-${dead}-abc`));
  writeFileSync(join(parent, `.report.new-${dead}-abc`, "index.html"), "half");
  rmSync(dir, { recursive: true });
  mkdirSync(join(parent, `.report.old-${dead}-abc`));
  writeFileSync(join(parent, `.report.old-${dead}-abc`, "index.html"), "the earlier report");
  await replaceDirectory(dir, async (aside) => writeFileSync(join(aside, "index.html"), "new"), { carryOver: () => true });
  assert.equal(readdirSync(parent), ["report"]);
  assert.equal(listing(dir), { "index.html": "new" });
  assert.not.ok(existsSync(join(parent, `.report.old-${dead}-abc`)));
});

test.run();
