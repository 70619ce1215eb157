/**
 * A worker's module as it exists: the .ts source where it is there (Bun, Deno on the
 * sources), the .js the build wrote where only that is (the npm package's dist/).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { hasWebWorkers, startWorker, workerModule } from "./runtime.ts";

test("workerModule: the .ts where it exists, else the built .js beside it, else the name as given", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-worker-"));
  writeFileSync(join(dir, "source.ts"), "");
  writeFileSync(join(dir, "built.js"), "");
  const url = (name: string) => pathToFileURL(join(dir, name)).href;
  assert.is(workerModule(url("source.ts")), url("source.ts"));
  assert.is(workerModule(url("built.ts")), url("built.js"));
  assert.is(workerModule(url("neither.ts")), url("neither.ts"));
  assert.is(workerModule("https://example.org/w.ts"), "https://example.org/w.ts");
});

test("hasWebWorkers follows the runtime's Worker global; without it (Node) startWorker refuses, saying why", () => {
  const g = globalThis as { Worker?: unknown };
  const worker = g.Worker;
  assert.ok(hasWebWorkers(), "Bun and Deno have Web Workers");
  try {
    delete g.Worker;
    assert.not.ok(hasWebWorkers());
    assert.throws(() => startWorker("file:///nowhere.ts"), /startWorker: this runtime has no Web Workers \(Node has only worker_threads\)/);
  } finally {
    g.Worker = worker;
  }
  assert.ok(hasWebWorkers());
});

test.run();
