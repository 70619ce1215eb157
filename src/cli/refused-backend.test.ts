/**
 * A backend that computes wrong numbers is refused by its self-check before anything trains:
 * `gradlab train` and `gradlab run` on a test double (cpu with tfjs-backend-webgpu's addN bug,
 * testing-broken-backend.ts) exit 1 naming the op, the expected and the returned value, print
 * no training line and write no result file.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runtimeInfo } from "../backend/mod.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const script = fileURLToPath(new URL("./testing-broken-backend.ts", import.meta.url));

/** `gradlab ARGS` on the broken backend, in a child process of this runtime. */
function gradlabOnBrokenCpu(...args: string[]) {
  const runtimeArgs = runtimeInfo().runtime === "deno" ? ["run", "-A", script] : [script];
  const r = spawnSync(process.execPath, [...runtimeArgs, ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const REFUSAL = /^gradlab: backend "cpu" failed gradlab's self-check and is refused \(it computes wrong numbers; nothing will be trained on it\):\n {2}addN of 40 tensors of shape \[3\]: element 0 \(and 2 more\): expected 820, returned 28 \(exact\)\n/;

test("gradlab train on a backend that fails its self-check: exit 1, the wrong op named, nothing trained or written", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-refused-"));
  try {
    const out = join(dir, "result.json");
    const r = gradlabOnBrokenCpu("train", "examples/e1-sigmoid-one-epoch.json", "--backend", "cpu", "--out", out);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, REFUSAL);
    assert.not.match(r.stderr, /training 784/);
    assert.is(r.stdout, "", "no epoch table");
    assert.not.ok(existsSync(out), "no result file");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("gradlab run on a backend that fails its self-check: exit 1 before the experiment starts", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-refused-"));
  try {
    const out = join(dir, "e1.json");
    const r = gradlabOnBrokenCpu("run", "fashion-sigmoid-vs-relu", "--profile", "quick", "--backend", "cpu", "--out", out);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, REFUSAL);
    assert.not.match(r.stderr, /E1 quick/);
    assert.is(r.stdout, "");
    assert.not.ok(existsSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
