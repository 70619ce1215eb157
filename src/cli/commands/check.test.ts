import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tfl from "@tensorflow/tfjs-layers";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { useBackend } from "../../backend/mod.ts";
import { restoreBackendAfter } from "../../backend/testing.ts";
import { checkReportSchema } from "../../check/mod.ts";
import { mlp784, saveModelFiles } from "../../check/testing.ts";
import { validate } from "../../core/mod.ts";
import type { Output } from "../command.ts";
import { runCli } from "../main.ts";

function buffer(): Output & { text: string } {
  const out = { text: "", write: (s: string) => void (out.text += s) };
  return out;
}
const cli = async (args: string[]) => {
  const stdout = buffer(), stderr = buffer();
  const code = await runCli(args, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
};

const dir = mkdtempSync(join(tmpdir(), "gradlab-check-"));
let sigmoid = "", relu = "", small = "";
restoreBackendAfter(test);
test.before(async () => {
  await useBackend("cpu");
  sigmoid = await saveModelFiles(mlp784("sigmoid", "glorotNormal", 2), join(dir, "sigmoid"));
  relu = await saveModelFiles(mlp784("relu", "heNormal", 2), join(dir, "relu"));
  small = await saveModelFiles(
    tfl.sequential({ layers: [tfl.layers.dense({ units: 4, activation: "tanh", inputShape: [3] }), tfl.layers.dense({ units: 2 })] }),
    join(dir, "small"),
  );
});

test("check: the 784→64→64→64→10 sigmoid model is vanishing in its first layer (--strict exits 1); the ReLU + He one is healthy; both as JSON and a page", async () => {
  const json = join(dir, "sigmoid.json"), html = join(dir, "sigmoid-page");
  const bad = await cli(["check", sigmoid, "--seed", "5", "--backend", "cpu", "--json", json, "--html", html, "--strict"]);
  assert.is(bad.code, 1, bad.stderr);
  assert.match(bad.stdout, `gradlab check ${sigmoid}: VANISHING`);
  assert.match(bad.stderr, "gradlab: check --strict: the verdict is vanishing");
  const report = validate<{ verdict: string; layers: { kernel: { verdict: string } | null }[] }>(checkReportSchema, JSON.parse(readFileSync(json, "utf8")), json);
  assert.is(report.verdict, "vanishing");
  assert.is(report.layers[0]!.kernel!.verdict, "vanishing");
  const page = readFileSync(join(html, "index.html"), "utf8");
  assert.match(page, "<title>gradlab check — " + sigmoid + ": vanishing</title>");
  for (const id of ["check-gradients", "check-variance", "check-units"]) {
    assert.ok(page.includes(`id="fig-${id}"`), id);
    assert.ok(existsSync(join(html, "figures", `${id}.svg`)), `${id}.svg`);
  }
  assert.ok(page.includes(">vanishing below 0.1× the last layer's</text>"), "the threshold is drawn");

  const good = await cli(["check", join(dir, "relu"), "--seed", "5", "--backend", "cpu", "--json", join(dir, "relu.json"), "--html", join(dir, "relu-page"), "--strict"]);
  assert.is(good.code, 0, good.stderr);
  assert.match(good.stdout, ": HEALTHY\n");
  assert.is(JSON.parse(readFileSync(join(dir, "relu.json"), "utf8")).verdict, "healthy");
  assert.match(readFileSync(join(dir, "relu-page", "index.html"), "utf8"), "Verdict: healthy");
});

test("check: the seed is printed when none is given, and the same seed gives the same report", async () => {
  const first = await cli(["check", small, "--backend", "cpu", "--json", join(dir, "a.json")]);
  assert.is(first.code, 0, first.stderr);
  const seed = /gradlab: seed (\d+) \(repeat with --seed \1\)/.exec(first.stderr)?.[1];
  assert.ok(seed, first.stderr);
  assert.match(first.stdout, `seed ${seed}`);
  const again = await cli(["check", small, "--backend", "cpu", "--seed", seed!, "--json", join(dir, "b.json")]);
  assert.is(again.code, 0);
  assert.is(readFileSync(join(dir, "b.json"), "utf8"), readFileSync(join(dir, "a.json"), "utf8"));
});

test("check --data: a CSV batch with labels is used as given; bad data and flags are refused naming the file, row or flag, before any output is written", async () => {
  const csv = join(dir, "batch.csv");
  writeFileSync(csv, "a,b,c,label\n0.1,0.2,0.3,1\n1,2,3,0\n-1,0.5,2,1\n");
  const ok = await cli(["check", small, "--data", csv, "--backend", "cpu", "--seed", "1"]);
  assert.is(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, `batch: 3 rows of ${csv}; targets: the data's class labels (one-hot)`);

  const out = join(dir, "never.json");
  const cases: [string[], number, string][] = [
    [["--data", join(dir, "none.csv")], 1, `--data ${join(dir, "none.csv")}: cannot read`],
    [["--data", write("wide.csv", "a,b,c,d\n1,2,3,4\n5,6,7,8\n")], 1, "wide.csv: 4 features per row; the model's input [3] takes 3"],
    [["--data", write("labels.csv", "a,b,c,label\n1,2,3,0\n4,5,6,2\n")], 1, "labels.csv: label 2 at row 1 is outside [0, 2): the model's output has 2 units"],
    [["--data", write("text.csv", "a,b,c\n1,2,3\n4,five,6\n")], 1, 'text.csv: row 2 (line 3), column "b": expected a number, got "five"'],
    [["--labels", csv], 2, "--labels goes with --data"],
    [["--batch", "1"], 2, "--batch: expected an integer ≥ 2, got 1"],
    [["--loss", "hinge"], 2, "--loss: expected one of auto, categoricalCrossentropy"],
    [["--html", csv], 1, `--html ${csv}: is not a directory`],
  ];
  for (const [flags, code, message] of cases) {
    const r = await cli(["check", small, "--backend", "cpu", "--seed", "1", "--json", out, ...flags]);
    assert.is(r.code, code, `${flags.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.not.ok(existsSync(out), `${flags.join(" ")}: nothing written`);
  }
  const foreign = join(dir, "mine");
  mkdirSync(foreign, { recursive: true });
  writeFileSync(join(foreign, "notes.txt"), "keep");
  const refused = await cli(["check", small, "--html", foreign]);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, "holds files gradlab did not write");
});

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

test("check: an unsupported layer is an error naming its class and the file", async () => {
  const conv = await saveModelFiles(
    tfl.sequential({ layers: [tfl.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [6, 6, 1] }), tfl.layers.flatten(), tfl.layers.dense({ units: 2 })] }),
    join(dir, "conv"),
  );
  const r = await cli(["check", conv, "--backend", "cpu", "--seed", "1"]);
  assert.is(r.code, 1);
  assert.match(r.stderr, new RegExp(`gradlab: ${conv.replace(/[.]/g, "\\.")}: layer 1 "conv2d_Conv2D\\d+" is a Conv2D, which gradlab check does not support`));
});

test.run();
