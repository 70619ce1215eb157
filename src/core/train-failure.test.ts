/**
 * A training run that fails must end its process: a helper thread left running (once, it was
 * started outside the try/finally that stops it) keeps the process alive forever.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { run, thisRuntime } from "../testing/subprocess.ts";

const tmp = mkdtempSync(join(tmpdir(), "gradlab-train-failure-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const module = (path: string) => JSON.stringify(fileURLToPath(new URL(path, import.meta.url)));

test("an error after the helper thread started (a NaN in the first batch) ends the process", async () => {
  const script = join(tmp, "fail-after-helper.ts");
  // threads: 2 on wasm with file-order batches starts the helper; the NaN in the data then
  // makes the first step throw.
  writeFileSync(script, `import { chosenBackend, useBackend } from ${module("../backend/mod.ts")};
import { train } from ${module("./mod.ts")};
await useBackend("wasm");
const rows = 512, features = 8;
const x = new Float32Array(rows * features);
x[3] = NaN;
const data = { train: { x, rows, features, y: { kind: "classes", labels: new Int32Array(rows), classes: 2 } },
  source: { name: "zeros", location: "", sha256: "", description: "" } };
const spec = { inputSize: features, layers: [
  { units: 4, activation: { name: "relu" }, kernelInitializer: { name: "glorotUniform" }, useBias: true },
  { units: 2, activation: { name: "linear" }, kernelInitializer: { name: "glorotUniform" }, useBias: true }] };
const config = { loss: "sparseSoftmaxCrossEntropy", optimizer: { name: "sgd", learningRate: 0.1 }, batchSize: 64, epochs: 1,
  shuffle: false, clipping: { name: "none" }, seed: 1, record: { every: 0 } };
try {
  await train(spec, config, data, { backend: chosenBackend(), threads: 2 });
  console.log("trained");
} catch (error) {
  console.log("failed: " + error.message);
}`);
  const r = await run(thisRuntime(script), { timeoutMs: 20_000 });
  assert.not.ok(r.timedOut, `the process was still alive after 20 s: ${r.stdout}${r.stderr}`);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^failed: non-finite loss at iteration 0/);
});

test.run();
