import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { validateReport } from "../../report/mod.ts";
import { syntheticE1Fixture, syntheticPropertyReport } from "../../report/testing.ts";
import type { Output } from "../command.ts";
import { runCli } from "../main.ts";
import { reportCommand } from "./report.ts";

function buffer(): Output & { text: string } {
  const out = { text: "", write: (s: string) => void (out.text += s) };
  return out;
}

/** A fixtures directory and a property report in a temporary directory; `files` are written into it. */
function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-report-cli-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function report(dir: string, extra: string[] = []) {
  const stdout = buffer(), stderr = buffer();
  const code = await runCli(
    ["report", "--from-fixtures", "--fixtures-dir", join(dir, "fixtures"), "--out", join(dir, "out"), "--no-browser", ...extra],
    { stdout, stderr, commands: [reportCommand] },
  );
  const json = validateReport(JSON.parse(readFileSync(join(dir, "out", "report.json"), "utf8")));
  const html = readFileSync(join(dir, "out", "index.html"), "utf8");
  return { code, stdout: stdout.text, stderr: stderr.text, json, html };
}

const status = (json: ReturnType<typeof validateReport>) => Object.fromEntries(json.sections.map((s) => [s.id, s.status]));
const e1 = JSON.stringify(syntheticE1Fixture());
const props = JSON.stringify(syntheticPropertyReport());

test("report --from-fixtures: the table on stdout; exit 0 when every section with data rendered", async () => {
  const dir = workspace({ "fixtures/fashion-sigmoid-vs-relu/quick.json": e1, "props.json": props });
  try {
    const r = await report(dir, ["--properties", join(dir, "props.json")]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^report: .*out/index\\.html`));
    assert.match(r.stdout, /properties +passed +failed +skipped\n +cpu +2 +0 +0\n +wasm +1 +1 +0/);
    assert.match(r.stdout, /E1 \(quick, 2,048 train \/ 1,000 test\) +train +test\n +sigmoid +26\.0% +28\.0%\n +relu +79\.0% +81\.0%/);
    assert.match(r.stdout, /claims: 5 of 5 held/);
    assert.match(r.stdout, /browser check: skipped \(--no-browser\)/);
    assert.equal(status(r.json), { properties: "ok", E1: "ok", E2: "absent", E3: "absent", E4: "absent", E5: "absent", E6: "absent", derivatives: "ok" });
    assert.match(r.html, /make one with `gradlab fixtures regen --only E3`/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad input: a corrupt fixture and a schema-invalid property report are named with their field; the rest still renders", async () => {
  const badProps = syntheticPropertyReport() as unknown as { results: { status: string }[] };
  badProps.results[2]!.status = "maybe";
  const dir = workspace({
    "fixtures/fashion-sigmoid-vs-relu/quick.json": e1,
    "fixtures/mnist-global-norm-clipping/quick.json": '{"format": "gradlab-fixture/1", "experi',
    "props.json": JSON.stringify(badProps),
  });
  try {
    const r = await report(dir, ["--properties", join(dir, "props.json")]);
    assert.is(r.code, 1, "a failed section makes the command fail");
    const propsFile = join(dir, "props.json"), e3File = join(dir, "fixtures", "mnist-global-norm-clipping", "quick.json");
    assert.ok(r.stderr.includes(`section properties failed: ${propsFile}, field /results/2/status:`), r.stderr);
    assert.ok(r.stderr.includes(`section E3 failed: ${e3File}: not JSON`), r.stderr);
    assert.equal(status(r.json), { properties: "failed", E1: "ok", E2: "absent", E3: "failed", E4: "absent", E5: "absent", E6: "absent", derivatives: "ok" });
    assert.is(r.json.sections[0]!.problem!.field, "/results/2/status");
    assert.is(r.json.sections.find((s) => s.id === "E3")!.problem!.file, e3File);
    for (const id of ["e1-accuracy", "e1-gradients", "e1-layer-summary", "activation-derivatives"]) assert.ok(r.html.includes(`id="fig-${id}"`), id);
    assert.is((r.html.match(/This section failed\./g) ?? []).length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad input: a fixture that breaks its schema fails its section with the field, not the report", async () => {
  const bad = syntheticE1Fixture() as unknown as { profile: string; series: { runs: { result: { epochs: Record<string, unknown>[] } }[] } };
  bad.profile = "full";
  bad.series.runs[0]!.result.epochs[1]!.trainAccuracy = "high";
  const dir = workspace({
    "fixtures/fashion-sigmoid-vs-relu/full.json": JSON.stringify(bad),
    "fixtures/fashion-sigmoid-vs-relu/quick.json": e1,
    "props.json": props,
  });
  try {
    const r = await report(dir, ["--properties", join(dir, "props.json")]);
    assert.is(r.code, 1);
    const file = join(dir, "fixtures", "fashion-sigmoid-vs-relu", "full.json");
    assert.ok(r.stderr.includes(`section E1 failed: ${file}, field /series/runs/0/result/epochs/1/trainAccuracy: `), r.stderr);
    assert.equal(status(r.json), { properties: "ok", E1: "failed", E2: "absent", E3: "absent", E4: "absent", E5: "absent", E6: "absent", derivatives: "ok" });
    assert.match(r.html, /id="fig-activation-derivatives"/);
    assert.match(r.html, /cpu<\/strong>/, "the properties still show");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
