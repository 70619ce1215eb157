/**
 * The package root is found from the sources (src/…) and from the built JavaScript
 * (dist/src/…) alike: the data files (experiments/, fixtures/) sit beside package.json.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { PACKAGE_ROOT, packagePath, packageRootOf } from "./mod.ts";
import { EXPERIMENTS_DIR } from "../experiments/mod.ts";

test("packageRootOf: the directory above src/ from the sources, the one above dist/ from the build", () => {
  const pkg = mkdtempSync(join(tmpdir(), "gradlab-package-"));
  writeFileSync(join(pkg, "package.json"), "{}");
  mkdirSync(join(pkg, "dist", "src"), { recursive: true });
  assert.is(packageRootOf(pkg), pkg);
  assert.is(packageRootOf(join(pkg, "dist")), pkg);
  // a directory with its own package.json is a root, whatever it is called
  writeFileSync(join(pkg, "dist", "package.json"), "{}");
  assert.is(packageRootOf(join(pkg, "dist")), join(pkg, "dist"));
});

test("in this checkout the root is the repository: experiments/ and fixtures/ are found there", () => {
  assert.is(packagePath("experiments"), EXPERIMENTS_DIR);
  assert.is(join(PACKAGE_ROOT, "src", "package", "mod.test.ts"), new URL(import.meta.url).pathname);
});

test.run();
