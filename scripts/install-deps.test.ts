import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { installNeeded } from "./install-deps.mjs";

const tmp = mkdtempSync(join(tmpdir(), "gradlab-deps-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
/** A project root with this lock file and, when given, node_modules holding npm's record of an install. */
function project(lock: Record<string, object>, installed?: Record<string, object>): string {
  const root = join(tmp, `p${n++}`);
  mkdirSync(root);
  writeFileSync(join(root, "package-lock.json"), JSON.stringify({ lockfileVersion: 3, packages: { "": {}, ...lock } }));
  if (installed) {
    mkdirSync(join(root, "node_modules"));
    writeFileSync(join(root, "node_modules", ".package-lock.json"), JSON.stringify({ lockfileVersion: 3, packages: installed }));
  }
  return root;
}
const lock = {
  "node_modules/uvu": { version: "0.5.6" },
  "node_modules/@oven/bun-darwin-x64": { version: "1.4.5", optional: true },
};

test("a fresh clone (no node_modules) needs an install", () => {
  assert.is(installNeeded(project(lock)), "node_modules is missing");
});

test("node_modules that matches the lock file needs none; an optional package of another platform may be absent", () => {
  assert.is(installNeeded(project(lock, { "node_modules/uvu": { version: "0.5.6" } })), null);
});

test("a package at another version, missing, or no longer locked needs an install, and says which", () => {
  assert.is(installNeeded(project(lock, { "node_modules/uvu": { version: "0.5.5" } })), "uvu is 0.5.5, package-lock.json pins 0.5.6");
  assert.is(installNeeded(project({ ...lock, "node_modules/ajv": { version: "8.20.0" } }, { "node_modules/uvu": { version: "0.5.6" } })), "ajv 8.20.0 is not installed");
  assert.is(installNeeded(project(lock, { "node_modules/uvu": { version: "0.5.6" }, "node_modules/old": { version: "1.0.0" } })), "old is installed but no longer in package-lock.json");
});

test("this checkout's node_modules matches its lock file (the tests run on an installed tree)", () => {
  assert.is(installNeeded(fileURLToPath(new URL("..", import.meta.url))), null);
});

test.run();
