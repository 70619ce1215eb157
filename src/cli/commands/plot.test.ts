import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Output } from "../command.ts";
import { runCli } from "../main.ts";
import { OUTPUT_MANIFEST } from "../../output/mod.ts";

function buffer(): Output & { text: string } {
  const out = { text: "", write: (s: string) => void (out.text += s) };
  return out;
}

const dir = mkdtempSync(join(tmpdir(), "gradlab-plot-"));
const cli = async (args: string[]) => {
  const stdout = buffer(), stderr = buffer();
  const code = await runCli(args, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
};
const lines = (path: string) => readFileSync(path, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));

/** 784→32→32→10 ReLU on 512 rows of the embedded Fashion-MNIST, 8 batches an epoch, every step recorded. */
function config(learningRate: number, clipping: object = { name: "none" }) {
  const layer = (units: number, activation: string, init: string) => ({ units, activation: { name: activation }, kernelInitializer: { name: init }, useBias: true });
  return {
    model: { inputSize: 784, layers: [layer(32, "relu", "heNormal"), layer(32, "relu", "heNormal"), layer(10, "linear", "glorotUniform")] },
    training: { loss: "softmaxCrossEntropy", optimizer: { name: "sgd", learningRate }, batchSize: 64, epochs: 3, shuffle: false, clipping, record: { every: 1 } },
    data: { dataset: "fashion-mnist", subset: "embedded", preprocess: "standardize", trainRows: 512, testRows: 100 },
  };
}

test("plot draws a run trained with train --out: the page, its SVGs and CSV; train also left its run log", async () => {
  const file = join(dir, "healthy.json");
  writeFileSync(file, JSON.stringify(config(0.05, { name: "globalNorm", maxNorm: 1 })));
  const out = join(dir, "runs", "healthy.json");
  const trained = await cli(["train", file, "--seed", "3", "--backend", "cpu", "--out", out]);
  assert.is(trained.code, 0, trained.stderr);
  const log = lines(join(dir, "runs", "healthy.jsonl"));
  assert.equal([log[0].kind, log[log.length - 1].kind], ["header", "end"], "the log beside --out starts with its header and ends with end");
  assert.is(log[0].training.seed, 3);
  assert.is(log.filter((l) => l.kind === "step").length, 24);
  assert.is(log.filter((l) => l.kind === "epoch").length, 3);

  const plotted = await cli(["plot", out, "--csv", join(dir, "csv")]);
  assert.is(plotted.code, 0, plotted.stderr);
  assert.match(plotted.stdout, "3 epochs and 24 recorded steps, finished after 24 iterations");
  const page = join(dir, "runs", "healthy-plot");
  const html = readFileSync(join(page, "index.html"), "utf8");
  for (const id of ["run-accuracy", "run-loss", "run-step-loss", "run-gradients", "run-global-norm", "run-tensor-norms"]) {
    assert.ok(html.includes(`id="fig-${id}"`), `the page shows ${id}`);
    assert.match(readFileSync(join(page, "figures", `${id}.svg`), "utf8"), /^<\?xml[^]*<svg[^]*<path/);
  }
  assert.ok(html.includes(">layer 3 (32→10)</text>"), "one gradient panel per layer");
  assert.ok(html.includes(">clip norm 1</text>"), "the clipping limit is drawn");
  assert.ok(html.includes(">after clipping</text>"));
  const steps = readFileSync(join(dir, "csv", "steps.csv"), "utf8").trimEnd().split("\n");
  assert.is(steps.length, 25);
  assert.match(steps[0]!, "iteration,epoch,loss,globalNorm,clippedGlobalNorm,meanAbs dense1/kernel");
  assert.is(readFileSync(join(dir, "csv", "epochs.csv"), "utf8").trimEnd().split("\n").length, 4);
  assert.not.ok(existsSync(join(dir, "csv", "stop.csv")));
});

test("an exploding run stops on NaN, its log ends with the stop's location, and plot draws it up to the stop", async () => {
  const file = join(dir, "explode.json");
  writeFileSync(file, JSON.stringify(config(2)));
  const logFile = join(dir, "explode.jsonl");
  const trained = await cli(["train", file, "--seed", "1", "--backend", "cpu", "--log", logFile]);
  assert.is(trained.code, 1);
  assert.match(trained.stderr, /gradlab: non-finite (loss|gradient) at iteration \d+/);
  assert.match(trained.stderr, `the run log ${logFile} ends with where training stopped`);
  const log = lines(logFile);
  const stop = log[log.length - 1];
  assert.is(stop.kind, "stop");
  assert.is(stop.reason, "non-finite");
  const at = stop.location;
  for (const key of ["iteration", "epoch", "batch", "layer", "element", "value"]) assert.ok(at[key] !== null && at[key] !== undefined, `the stop names its ${key}`);
  assert.ok(at.iteration >= 8, `it stopped after the first epoch (iteration ${at.iteration})`);
  const steps = log.filter((l) => l.kind === "step");
  assert.equal(steps.map((s) => s.iteration), [...Array(at.iteration).keys()], "every step before the stop is in the log");
  assert.is(log.filter((l) => l.kind === "epoch").length, Math.floor(at.iteration / 8));

  const out = join(dir, "explode-page");
  const plotted = await cli(["plot", logFile, "--out", out, "--csv", join(dir, "explode-csv")]);
  assert.is(plotted.code, 0, plotted.stderr);
  assert.match(plotted.stdout, `stopped: ${at.kind} ${at.value} at iteration ${at.iteration} (epoch ${at.epoch})`);
  const html = readFileSync(join(out, "index.html"), "utf8");
  for (const id of ["run-step-loss", "run-global-norm"]) {
    const svg = readFileSync(join(out, "figures", `${id}.svg`), "utf8");
    assert.ok(svg.includes(`stopped: ${at.kind} ${at.value} at ${at.iteration}</text>`), `${id}: the stop is marked on the iteration axis`);
  }
  assert.ok(html.includes(`role="alert">Training stopped at the first non-finite number`));
  for (const id of ["run-accuracy", "run-loss", "run-step-loss", "run-gradients", "run-global-norm"]) assert.ok(html.includes(`id="fig-${id}"`), id);
  assert.match(readFileSync(join(dir, "explode-csv", "stop.csv"), "utf8"), `non-finite,${at.kind},${at.iteration},${at.epoch},${at.batch},${at.value},${at.layer}`);
});

test("plot refuses bad input before drawing, naming the file or flag; a foreign directory is never replaced", async () => {
  const junk = join(dir, "junk.json");
  writeFileSync(junk, JSON.stringify({ hello: 1 }));
  const bad = await cli(["plot", junk]);
  assert.is(bad.code, 1);
  assert.match(bad.stderr, `${junk} (a gradlab train --out result): does not match its schema`);
  assert.is((await cli(["plot", join(dir, "missing.json")])).code, 1);

  const foreign = join(dir, "mine");
  mkdirSync(foreign);
  writeFileSync(join(foreign, "notes.txt"), "keep me");
  const refused = await cli(["plot", join(dir, "explode.jsonl"), "--out", foreign]);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, `--out: ${foreign} holds files gradlab did not write (no ${OUTPUT_MANIFEST})`);
  assert.equal(readdirSync(foreign), ["notes.txt"]);
  const file = await cli(["plot", join(dir, "explode.jsonl"), "--csv", junk]);
  assert.is(file.code, 1);
  assert.match(file.stderr, `--csv ${junk}: is not a directory`);
});

test("train: --log and --no-log together are a usage error; --no-log keeps --out alone", async () => {
  const file = join(dir, "healthy.json");
  assert.is((await cli(["train", file, "--log", "a.jsonl", "--no-log"])).code, 2);
  const out = join(dir, "solo", "r.json");
  const r = await cli(["train", file, "--seed", "1", "--backend", "cpu", "--epochs", "1", "--out", out, "--no-log"]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(readdirSync(join(dir, "solo")), ["r.json"]);
});

test.run();
