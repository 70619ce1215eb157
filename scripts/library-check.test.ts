import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { packedFiles, packProblems } from "./library-check.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const deno = JSON.parse(readFileSync(join(root, "deno.json"), "utf8"));

/** Packages the sources import only dynamically, for development checks (devDependencies). */
const DEVELOPMENT_ONLY = new Set(["playwright-core"]); // src/report/browser-check.ts: the report page in a headless browser

/** Every package a library source imports (statically or dynamically), by name. */
function importedPackages(dir: string): Set<string> {
  const names = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".test.ts")) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    for (const m of text.matchAll(/(?:from |import\()"((?:@[^/"]+\/)?[^./"][^/"]*)[^"]*"/g)) if (!m[1].startsWith("node:")) names.add(m[1]);
  }
  return names;
}

// dist/ is checked where it is built (scripts/library-check.ts; npm pack rebuilds it first):
// a dist/ left from an earlier build says nothing about the package.
test("npm pack holds the library's sources, its launcher and docs, and no tests, fixtures or scripts", () => {
  const files = packedFiles().filter((f) => !f.startsWith("dist/"));
  assert.equal(packProblems(files, { built: false }), []);
});

test("packProblems names a missing file, a test, a fixture and a source without its built files", () => {
  const problems = packProblems(["package.json", "mod.ts", "src/a.ts", "src/a.test.ts", "fixtures/E1/ci.json", "dist/src/a.js"]);
  for (const p of ["README.md is missing", "src/a.test.ts should not be packed", "fixtures/E1/ci.json should not be packed", "dist/src/a.d.ts is missing (for src/a.ts)"]) {
    assert.ok(problems.includes(p), `${p} in ${JSON.stringify(problems)}`);
  }
});

test("package.json: public, exports with types, tfjs as peers (every tfjs package the library imports, none bundled)", () => {
  assert.is(pkg.private, undefined);
  assert.equal(pkg.exports["."], { types: "./dist/mod.d.ts", default: "./dist/mod.js" });
  assert.is(pkg.types, "./dist/mod.d.ts");
  const imported = new Set([...importedPackages(join(root, "src")), ...importedPackages(join(root, "properties"))]);
  const tfjs = [...imported].filter((n) => n.startsWith("@tensorflow/") && n !== "@tensorflow/tfjs-node").sort();
  assert.equal(Object.keys(pkg.peerDependencies).sort(), tfjs);
  for (const name of tfjs) {
    assert.is(pkg.dependencies[name], undefined, `${name} must not be a dependency (a user's tfjs would be a second copy)`);
    assert.ok(pkg.devDependencies[name], `${name} is installed for development`);
  }
  for (const name of imported) {
    if (name.startsWith("@tensorflow/") || DEVELOPMENT_ONLY.has(name)) continue;
    assert.ok(pkg.dependencies[name] ?? pkg.optionalDependencies?.[name], `${name} (imported by the library) is a dependency`);
  }
});

test("deno.json: the JSR package has a name, the package.json version, and mod.ts as its export", () => {
  assert.is(deno.name, "@gradlab/gradlab");
  assert.is(deno.version, pkg.version);
  assert.equal(deno.exports, { ".": "./mod.ts" });
});

test.run();
