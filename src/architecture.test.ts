/**
 * The import graph keeps its shape: src/core/fast/ is entered only through its mod.ts, no
 * module imports itself back through others (no cycles), the core never reads which backend
 * is active (it is handed a Backend), and tfjs's private fields are read only in
 * src/backend/_internals/tfjs-private.ts. Each rule is first shown to catch a planted
 * violation, so the checks on the real tree can fail.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FAST = "src/core/fast/";
const PRIVATE_HOME = "src/backend/_internals/tfjs-private";

/** Every .ts file under the source folders, by path from the repository root, with its text. */
function sources(): Map<string, string> {
  const out = new Map<string, string>();
  for (const dir of ["src", "properties", "scripts"]) {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })) {
      const path = relative(ROOT, join(entry.parentPath, entry.name)).replaceAll("\\", "/");
      if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".d.ts") || path.includes("node_modules/")) continue;
      out.set(path, readFileSync(join(ROOT, path), "utf8"));
    }
  }
  return out;
}

/** A file's relative imports (static, re-exports, dynamic, workers' URLs), resolved to paths from the root; type-only ones marked. */
function importsOf(path: string, text: string): { target: string; typeOnly: boolean }[] {
  const out: { target: string; typeOnly: boolean }[] = [];
  const patterns = [
    /^\s*(import|export)\s+(type\s+)?[^;]*?\bfrom\s+"(\.{1,2}\/[^"]+)"/gm,
    /^\s*import\s+"(\.{1,2}\/[^"]+)"/gm,
    /\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g,
    /\bnew URL\(\s*"(\.{1,2}\/[^"]+\.ts)"\s*,\s*import\.meta\.url\s*\)/g,
  ];
  for (const [i, re] of patterns.entries()) {
    for (const m of text.matchAll(re)) {
      const spec = i === 0 ? m[3] : m[1];
      out.push({ target: normalize(join(dirname(path), spec)).replaceAll("\\", "/"), typeOnly: i === 0 && m[2] !== undefined });
    }
  }
  return out;
}

/** Files outside src/core/fast/ that import one of its files other than mod.ts. */
function fastSeamViolations(files: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [path, text] of files) {
    if (path.startsWith(FAST)) continue;
    for (const { target } of importsOf(path, text)) {
      if (target.startsWith(FAST) && target !== `${FAST}mod.ts`) out.push(`${path} imports ${target}`);
    }
  }
  return out;
}

/** Import cycles (through imports that run: type-only imports are erased), each as the path around it. */
function cycles(files: Map<string, string>): string[] {
  const edges = new Map<string, string[]>();
  for (const [path, text] of files) edges.set(path, importsOf(path, text).filter((i) => !i.typeOnly).map((i) => i.target).filter((t) => files.has(t)));
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const found: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next].join(" → "));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

/** Non-test files of src/core that read which backend is active instead of being handed one. */
function globalBackendReads(files: Map<string, string>): string[] {
  const out: string[] = [];
  const reads = /\btf\.(getBackend|backend|findBackend|setBackend)\(|\b(activeBackend|chosenBackend|useBackend)\(/;
  for (const [path, text] of files) {
    if (!path.startsWith("src/core/") || path.endsWith(".test.ts") || path === "src/core/testing.ts") continue;
    const line = text.split("\n").findIndex((l) => !/^\s*(\*|\/\/)/.test(l) && reads.test(l));
    if (line >= 0) out.push(`${path}:${line + 1}: ${text.split("\n")[line].trim()}`);
  }
  return out;
}

/** Reads of tfjs's private fields outside the one audited module. */
function privateFieldReads(files: Map<string, string>): string[] {
  const out: string[] = [];
  const fields = /\b(dataIdMap|HEAPU8|firstUse|TF_Version|initializeBackend)\b|\btf\.(engine|backend)\(\)\s+as\b/;
  for (const [path, text] of files) {
    if (path.startsWith(PRIVATE_HOME) || path === "src/architecture.test.ts") continue;
    const line = text.split("\n").findIndex((l) => !/^\s*(\*|\/\/)/.test(l) && fields.test(l));
    if (line >= 0) out.push(`${path}:${line + 1}: ${text.split("\n")[line].trim()}`);
  }
  return out;
}

test("each rule catches a planted violation", () => {
  const planted = new Map([
    ["src/core/train.ts", `import { kernelPass } from "./fast/kernel-pass.ts";\nimport { x } from "./a.ts";\nconst b = tf.getBackend();`],
    ["src/core/a.ts", `import { y } from "./b.ts";`],
    ["src/core/b.ts", `export { z } from "./a.ts";\nimport type { T } from "./train.ts";`],
    ["src/bench/mod.ts", `import { prepareFastEngine } from "../core/fast/mod.ts";\nconst w = new Worker(new URL("../core/fast/kernels/gemm-helper-worker.ts", import.meta.url));`],
    ["src/backend/memory.ts", `const heap = (tf.backend() as unknown as W).wasm.HEAPU8;`],
  ]);
  assert.equal(fastSeamViolations(planted), ["src/core/train.ts imports src/core/fast/kernel-pass.ts", "src/bench/mod.ts imports src/core/fast/kernels/gemm-helper-worker.ts"]);
  assert.equal(cycles(planted), ["src/core/a.ts → src/core/b.ts → src/core/a.ts"], "the type-only import back to train.ts makes no cycle");
  assert.equal(globalBackendReads(planted), ["src/core/train.ts:3: const b = tf.getBackend();"]);
  assert.equal(privateFieldReads(planted), ["src/backend/memory.ts:1: const heap = (tf.backend() as unknown as W).wasm.HEAPU8;"]);
});

const files = sources();

test("src/core/fast/ is entered only through its mod.ts", () => {
  assert.ok(files.has(`${FAST}mod.ts`) && files.size > 100, `read ${files.size} files from ${relative(process.cwd(), ROOT) || "."}`);
  assert.equal(fastSeamViolations(files), []);
});

test("no import cycles", () => {
  assert.equal(cycles(files), []);
});

test("src/core never reads which backend is active: it is handed a Backend", () => {
  assert.equal(globalBackendReads(files), []);
});

test("tfjs's private fields are read only in src/backend/_internals/tfjs-private.ts", () => {
  assert.equal(privateFieldReads(files), []);
});

test.run();
