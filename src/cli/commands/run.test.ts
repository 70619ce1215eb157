/**
 * An experiment file, end to end through the CLI: `gradlab run FILE`, its fixtures regenerated
 * beside it and verified (`gradlab fixtures verify FILE`), a bad file refused before anything
 * trains, and `gradlab schema experiment`. The example's quick profile trains 2 × 14 steps.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { experimentOf, experimentSchema } from "../../experiments/mod.ts";
import { regenerate } from "../../golden/mod.ts";
import type { Output } from "../command.ts";
import { runCli } from "../main.ts";

function buffer(): Output & { text: string } {
  const out = { text: "", write: (s: string) => void (out.text += s) };
  return out;
}

const example = new URL("../../../examples/experiments/sigmoid-depth.json", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "gradlab-run-file-"));
const file = join(dir, "sigmoid-depth.json");
copyFileSync(example, file);

test("run FILE: trains the file's quick profile and judges its claims", async () => {
  const stdout = buffer(), stderr = buffer();
  const out = join(dir, "result.json");
  const code = await runCli(["run", file, "--backend", "wasm", "--out", out], { stdout, stderr });
  assert.is(code, 0, stderr.text);
  assert.match(stdout.text, "sigmoid-depth/quick: seed 7");
  assert.match(stdout.text, /claims: \d\/2 held/);
  assert.match(stdout.text, "sigmoid-first-layer-starves");
  const result = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(result.claims.map((c: { id: string }) => c.id), ["sigmoid-first-layer-starves", "tanh-starves-less"]);
  assert.is(typeof result.summary.measures.sigmoidFirstOverLast, "number");
});

test("fixtures regen|verify FILE: the fixture goes to fixtures/ beside the file and reruns to the same bits", async () => {
  const log: string[] = [];
  const [outcome] = await regenerate({ experiments: [experimentOf(file)], profiles: ["quick"], backend: "wasm", env: {}, log: (l) => log.push(l) });
  assert.is(outcome.status, "written", log.join("\n"));
  assert.ok(existsSync(join(dir, "fixtures", "sigmoid-depth", "quick.json")));
  const stdout = buffer(), stderr = buffer();
  assert.is(await runCli(["fixtures", "verify", file], { stdout, stderr }), 0, stdout.text + stderr.text);
  assert.match(stdout.text, "1/1 fixtures match");
  assert.is(await runCli(["fixtures", "check", file, "--profile", "quick"], { stdout: buffer(), stderr: buffer() }), 0);
});

test("a file whose claim reads a layer the model lacks is refused before anything trains, naming the file and the path", async () => {
  const d = JSON.parse(readFileSync(example, "utf8"));
  d.claims["sigmoid-first-layer-starves"].measure = { gradient: { run: "sigmoid6", layer: 9 } };
  const bad = join(dir, "bad.json");
  writeFileSync(bad, JSON.stringify(d));
  for (const argv of [["run", bad, "--backend", "wasm"], ["fixtures", "verify", bad]]) {
    const stdout = buffer(), stderr = buffer();
    assert.is(await runCli(argv, { stdout, stderr }), 1, argv.join(" "));
    assert.match(stderr.text, `${bad}: not a usable experiment:`);
    assert.match(stderr.text, "/claims/sigmoid-first-layer-starves/measure/gradient/layer: layer 9 is beyond run sigmoid6's model, which has 6 layers");
    assert.not.match(stderr.text + stdout.text, "epoch", "nothing trained");
  }
});

test("schema experiment prints the experiment file's JSON Schema", async () => {
  const stdout = buffer();
  assert.is(await runCli(["schema", "experiment"], { stdout, stderr: buffer() }), 0);
  assert.equal(JSON.parse(stdout.text), JSON.parse(JSON.stringify(experimentSchema)));
  const stderr = buffer();
  assert.is(await runCli(["schema", "nope"], { stdout: buffer(), stderr }), 2);
  assert.match(stderr.text, 'unknown name "nope"; one of experiment, train, run, seeds, shard, check');
});

test.run();
