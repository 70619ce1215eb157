/** The harness: results, shrunk counterexamples and their replay, leaks, the report and its renderings. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { activeBackend, useBackend } from "../src/backend/mod.ts";
import { restoreBackendAfter } from "../src/backend/testing.ts";
import { checkLaw, gradlabProps, replayCommand, runProperties, runsFor, selectLaws } from "./harness.ts";
import { defineLaw, type Law } from "./law.ts";
import { renderJunit } from "./report-junit.ts";
import { describeResult, renderMarkdown } from "./report-markdown.ts";
import { readPropertyReport, validatePropertyReport } from "./report-schema.ts";
import { writePropertyReport } from "./report-write.ts";

function law(name: string, property: Law["property"], runs = 50): Law {
  return defineLaw({ name, group: "activations", statement: `${name} holds`, runs, tolerance: () => ({ rule: "exact", values: { rtol: 0 } }), property });
}

const passing = law("always", () => fc.asyncProperty(fc.integer(), async () => {}));
const failing = law("small", () =>
  fc.asyncProperty(fc.integer({ min: 0, max: 10_000 }), async (n) => {
    if (n > 1000) throw new Error(`${n} is too big`);
  }), 200);
const leaking = law("leaky", () => fc.asyncProperty(fc.integer(), async () => void tf.scalar(1)));
const broken = law("broken", () => {
  throw new Error("no property today");
});

restoreBackendAfter(test);

test("a passing law: every run checked, the tolerance recorded", async () => {
  const r = await checkLaw(passing, "cpu", { seed: 7, runs: 30 });
  assert.is(r.status, "passed");
  assert.is(r.runs, 30);
  assert.is(r.seed, 7);
  assert.equal(r.tolerance, { rule: "exact", values: { rtol: 0 } });
  assert.is(r.counterexample, null);
});

test("a failing law is shrunk to its smallest counterexample, and its path replays it", async () => {
  const r = await checkLaw(failing, "cpu", { seed: 7, runs: 200 });
  assert.is(r.status, "failed");
  assert.is(r.counterexample!.value, "[1001]");
  assert.is(r.counterexample!.error, "1001 is too big");
  assert.is(r.counterexample!.replay, `${gradlabProps()} --backend cpu --filter '^small$' --seed 7 --path '${r.counterexample!.path}'`);
  const again = await checkLaw(failing, "cpu", { seed: 7, runs: 200, path: r.counterexample!.path });
  assert.is(again.counterexample!.value, "[1001]");
  assert.is(again.runs, 1);
  assert.ok(describeResult(r).includes(`replay: ${gradlabProps()} --backend cpu`));
});

test("a law that leaves tensors behind fails, and so does one that cannot build its property", async () => {
  const leak = await checkLaw(leaking, "cpu", { seed: 1, runs: 3 });
  assert.is(leak.status, "failed");
  assert.match(leak.error!, /3 tfjs tensors undisposed/);
  const b = await checkLaw(broken, "cpu", { seed: 1, runs: 3 });
  assert.is(b.status, "failed");
  assert.match(b.error!, /could not run: no property today/);
});

test("run counts: the CI count, 10× for thorough, fewer on WebGPU, --runs replaces them", () => {
  assert.is(runsFor(failing, "cpu", "ci"), 200);
  assert.is(runsFor(failing, "wasm", "thorough"), 2000);
  assert.is(runsFor(failing, "webgpu", "ci"), 40);
  assert.is(runsFor(failing, "webgpu", "ci", 5), 5);
  assert.equal(selectLaws([passing, failing], "^sm").map((l) => l.name), ["small"]);
  assert.is(replayCommand(passing, "wasm", 3, "1:0"), `${gradlabProps()} --backend wasm --filter '^always$' --seed 3 --path '1:0'`);
});

test("the report validates against its schema and renders as Markdown and JUnit", async () => {
  await useBackend("wasm");
  const report = await runProperties({ laws: [passing, failing], backends: ["cpu"], profile: "ci", seed: 11, runs: 100 });
  assert.is(activeBackend().name, "wasm", "runProperties restores the backend");
  validatePropertyReport(report);
  assert.equal(report.summary.passed + report.summary.failed, 2);
  assert.is(report.summary.failed, 1);
  assert.is(report.command, `${gradlabProps()} --backend cpu --profile ci --seed 11 --runs 100`);
  assert.equal(report.backends.filter((b) => b.checked).map((b) => b.name), ["cpu"]);

  const md = renderMarkdown(report);
  assert.match(md, /\| always \| activations \| ✓ 100 runs/);
  assert.match(md, /### small on cpu/);
  assert.ok(md.includes(`replay: \`${gradlabProps()} --backend cpu --filter '^small$' --seed 11 --path '`));
  const xml = renderJunit(report);
  assert.match(xml, /<testsuite name="properties on cpu" tests="2" failures="1"/);
  assert.match(xml, /<failure message="[0-9]+ is too big" type="PropertyFailure">/);

  const dir = mkdtempSync(join(tmpdir(), "gradlab-props-"));
  try {
    const written = await writePropertyReport(report, { json: join(dir, "out", "p.json"), junit: join(dir, "p.xml") });
    assert.equal(written, [join(dir, "out", "p.json"), join(dir, "out", "p.md"), join(dir, "p.xml")]);
    assert.equal(readPropertyReport(join(dir, "out", "p.json")), report);
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ ...report, seed: -1 }));
    assert.throws(() => readPropertyReport(join(dir, "bad.json")), /bad\.json: not a valid property report:\n {2}\/seed must be >= 0/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
