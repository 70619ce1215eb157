import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { restoreBackendAfter } from "../../backend/testing.ts";
import { readPropertyReport } from "../../../properties/mod.ts";
import type { Output } from "../command.ts";
import { runCli } from "../main.ts";

function buffer(): Output & { text: string } {
  const out = { text: "", write: (s: string) => void (out.text += s) };
  return out;
}

restoreBackendAfter(test);

test("props --list names every law with its group and statement", async () => {
  const stdout = buffer();
  assert.is(await runCli(["props", "--list"], { stdout, stderr: buffer() }), 0);
  assert.match(stdout.text, /^sigmoid-derivative +activations +For every finite float32 x/m);
  assert.match(stdout.text, /^backend-agreement +backends /m);
});

test("props: checks the filtered laws on one backend and writes the JSON, Markdown and JUnit reports", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-props-cli-"));
  try {
    const stdout = buffer(), stderr = buffer();
    const json = join(dir, "p.json");
    const code = await runCli(
      ["props", "--backend", "cpu", "--filter", "^clip-by-(value|norm)$", "--runs", "5", "--seed", "3", "--json", json, "--junit", join(dir, "p.xml")],
      { stdout, stderr },
    );
    assert.is(code, 0, stderr.text);
    assert.match(stdout.text, /^2 passed, 0 failed of 2 \(laws × backends: cpu\), seed 3$/m);
    const report = readPropertyReport(json);
    assert.equal(report.results.map((r) => [r.property, r.backend, r.runs, r.seed]), [["clip-by-norm", "cpu", 5, 3], ["clip-by-value", "cpu", 5, 3]]);
    assert.ok(report.command.endsWith("gradlab props --backend cpu --profile ci --seed 3 --runs 5 --filter '^clip-by-(value|norm)$'"));
    assert.ok(existsSync(join(dir, "p.md")));
    assert.match(readFileSync(join(dir, "p.xml"), "utf8"), /<testsuites name="gradlab properties" tests="2" failures="0"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("props --backend all checks every available backend; other commands refuse all (exit 2)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-props-all-"));
  try {
    const stdout = buffer(), stderr = buffer();
    const code = await runCli(["props", "--backend", "all", "--filter", "^clip-by-value$", "--runs", "3", "--seed", "4", "--json", join(dir, "p.json")], { stdout, stderr });
    assert.is(code, 0, stderr.text);
    assert.match(stdout.text, /laws × backends: cpu, wasm/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const stderr = buffer();
  assert.is(await runCli(["train", "x.json", "--backend", "all"], { stdout: buffer(), stderr }), 2);
  assert.match(stderr.text, /--backend: expected one of cpu, wasm, webgpu, tensorflow, tensorflow-gpu, got "all"/);
});

test("props: a bad --filter or --runs is a usage error (exit 2)", async () => {
  const stderr = buffer();
  assert.is(await runCli(["props", "--filter", "("], { stdout: buffer(), stderr }), 2);
  assert.match(stderr.text, /--filter: /);
  assert.is(await runCli(["props", "--runs", "0"], { stdout: buffer(), stderr: buffer() }), 2);
});

test.run();
