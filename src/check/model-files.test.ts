import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tfl from "@tensorflow/tfjs-layers";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { useBackend } from "../backend/mod.ts";
import { checkModel } from "./check-model.ts";
import { loadModelFiles } from "./model-files.ts";
import { mlp784, saveModelFiles } from "./testing.ts";

test.before(async () => {
  await useBackend();
});

const dir = mkdtempSync(join(tmpdir(), "gradlab-model-files-"));

async function fails(path: string, pattern: string | RegExp) {
  try {
    await loadModelFiles(path);
  } catch (e) {
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`loading ${path} should fail with ${pattern}`);
}

test("a model saved as model.json + weights.bin loads through tfjs-layers and checks exactly as in memory", async () => {
  const model = mlp784("sigmoid", "glorotNormal", 3);
  model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
  const path = await saveModelFiles(model, join(dir, "sigmoid"));
  const loaded = await loadModelFiles(path);
  assert.equal(loaded.getWeights().map((w) => Array.from(w.dataSync())), model.getWeights().map((w) => Array.from(w.dataSync())));
  assert.is(loaded.loss, "categoricalCrossentropy", "the training config comes back: the compiled loss");
  const fromFile = await checkModel(loaded, { seed: 4, source: path });
  const inMemory = await checkModel(model, { seed: 4, source: path });
  const numbers = (r: typeof fromFile) => JSON.stringify({ ...r, model: { ...r.model, name: "" } });
  assert.is(numbers(fromFile), numbers(inMemory));
  assert.is(fromFile.loss.origin, "compiled");
});

test("model.json problems are named with the file before tfjs-layers sees them", async () => {
  const path = await saveModelFiles(mlp784("relu", "heNormal", 1), join(dir, "relu"));
  const json = JSON.parse(readFileSync(path, "utf8"));
  const write = (name: string, value: unknown) => {
    const p = join(dir, "relu", name);
    writeFileSync(p, typeof value === "string" ? value : JSON.stringify(value));
    return p;
  };
  await fails(join(dir, "nope.json"), "nope.json: cannot read");
  await fails(write("garbled.json", "{"), "garbled.json: not valid JSON");
  await fails(write("no-manifest.json", { modelTopology: json.modelTopology }), "no-manifest.json (a tfjs-layers model.json): does not match its schema:\n  (top level) must have required property 'weightsManifest'");
  const conv = structuredClone(json);
  conv.modelTopology.config.layers[1].class_name = "Conv2D";
  await fails(write("conv.json", conv), /conv\.json: layer 2 "dense_Dense\d+" is a Conv2D, which gradlab check does not support/);
  const moved = structuredClone(json);
  moved.weightsManifest[0].paths = ["missing.bin"];
  await fails(write("moved.json", moved), /missing\.bin \(listed in .*moved\.json\): cannot read/);
  const outside = structuredClone(json);
  outside.weightsManifest[0].paths = ["/etc/passwd"];
  await fails(write("outside.json", outside), "lists /etc/passwd; expected a path relative to model.json's directory");
  truncateSync(join(dir, "relu", "weights.bin"), 1000);
  await fails(path, /weights\.bin: 1000 bytes, but .*model\.json's manifest \(group 0: 8 weights\) needs 236840/);
  const bad = structuredClone(json);
  bad.modelTopology.config.layers[0].config.activation = "warp";
  writeFileSync(join(dir, "relu", "weights.bin"), new Uint8Array(236840));
  await fails(write("bad.json", bad), /bad\.json: tfjs-layers could not load the model: .*warp/);
});

test("a Keras-converted topology (model_config inside) is read for its layer classes too", async () => {
  const path = await saveModelFiles(tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3] })] }), join(dir, "keras"));
  const json = JSON.parse(readFileSync(path, "utf8"));
  json.modelTopology = { keras_version: "2.15.0", backend: "tensorflow", model_config: json.modelTopology };
  json.modelTopology.model_config.config.layers[0].class_name = "LSTM";
  writeFileSync(path, JSON.stringify(json));
  await fails(path, /layer 1 "dense_Dense\d+" is a LSTM/);
});

test.run();
