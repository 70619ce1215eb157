import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Output } from "../command.ts";
import { runCli } from "../main.ts";

function buffer(): Output & { text: string } {
  const out = { text: "", write: (s: string) => void (out.text += s) };
  return out;
}

const dir = mkdtempSync(join(tmpdir(), "gradlab-train-"));
const regression = {
  model: {
    inputSize: 2,
    layers: [
      { units: 4, activation: { name: "tanh" }, kernelInitializer: { name: "torchDefault" }, biasInitializer: { name: "torchDefault" }, useBias: true },
      { units: 1, activation: { name: "linear" }, kernelInitializer: { name: "torchDefault" }, biasInitializer: { name: "torchDefault" }, useBias: true },
    ],
  },
  training: { loss: "mse", optimizer: { name: "sgd", learningRate: 0.03 }, batchSize: 10, epochs: 2, shuffle: true, clipping: { name: "none" }, record: { every: 10 } },
  data: { dataset: "synthetic-regression", samples: 200 },
};

test("train: a config file runs, prints the epochs and writes a result with its seed and environment", async () => {
  const config = join(dir, "reg.json");
  const out = join(dir, "reg-result.json");
  writeFileSync(config, JSON.stringify(regression));
  const stdout = buffer();
  const stderr = buffer();
  const code = await runCli(["train", config, "--seed", "77", "--backend", "cpu", "--out", out], { stdout, stderr });
  assert.is(code, 0, stderr.text);
  assert.match(stdout.text, /^ {4}2 /m);
  const record = JSON.parse(readFileSync(out, "utf8"));
  assert.is(record.training.seed, 77);
  assert.is(record.environment.backend, "cpu");
  assert.is(record.result.epochs.length, 2);
  assert.is(record.data.source.name, "synthetic-regression");
  assert.is(record.result.iterationsPerEpoch, 14); // 140 training rows (70%) in batches of 10
});

test("train: a config that breaks its schema names the file and the field (exit 1)", async () => {
  const bad = structuredClone(regression) as Record<string, any>;
  bad.training.optimizer = { name: "adam", learningRate: 0.001 };
  bad.model.layers[0].units = 0;
  const config = join(dir, "bad.json");
  writeFileSync(config, JSON.stringify(bad));
  const stderr = buffer();
  const code = await runCli(["train", config, "--seed", "1", "--backend", "cpu"], { stdout: buffer(), stderr });
  assert.is(code, 1);
  assert.match(stderr.text, `${config}: does not match its schema`);
  assert.match(stderr.text, "/model/layers/0/units must be >= 1");
  assert.match(stderr.text, "/training/optimizer");
});

test("train: --threads takes 1 or 2 and the header says how many the run gets", async () => {
  const config = join(dir, "threads.json");
  writeFileSync(config, JSON.stringify(regression));
  const stderr = buffer();
  assert.is(await runCli(["train", config, "--seed", "1", "--backend", "cpu", "--threads", "3"], { stdout: buffer(), stderr }), 2);
  assert.match(stderr.text, "--threads: expected 1 or 2, got 3");
  const ok = buffer();
  assert.is(await runCli(["train", config, "--seed", "1", "--backend", "cpu", "--threads", "2"], { stdout: buffer(), stderr: ok }), 0, ok.text);
  // cpu, shuffled batches: the helper thread does not apply, so one thread.
  assert.match(ok.text, "engine fast-dense, threads 1, seed 1");
});

test("train: unreadable or non-JSON config files are named", async () => {
  const stderr = buffer();
  assert.is(await runCli(["train", join(dir, "missing.json")], { stdout: buffer(), stderr }), 1);
  assert.match(stderr.text, "missing.json: cannot read");
  const garbled = join(dir, "garbled.json");
  writeFileSync(garbled, "{ not json");
  const stderr2 = buffer();
  assert.is(await runCli(["train", garbled], { stdout: buffer(), stderr: stderr2 }), 1);
  assert.match(stderr2.text, "garbled.json: not valid JSON");
});

test("train: a missing config argument or an unknown engine is a usage error (exit 2)", async () => {
  assert.is(await runCli(["train"], { stdout: buffer(), stderr: buffer() }), 2);
  assert.is(await runCli(["train", "x.json", "--engine", "warp"], { stdout: buffer(), stderr: buffer() }), 2);
});

test.run();
