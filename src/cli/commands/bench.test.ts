/**
 * `gradlab bench` runs (a few steps, one workload: the speed itself is measured by running it,
 * never here), reports what computed the products and writes its JSON; bad flags are refused
 * with the flag named.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { restoreBackendAfter } from "../../backend/testing.ts";
import type { Output } from "../command.ts";
import { runCli } from "../main.ts";

restoreBackendAfter(test);

function buffer(): Output & { text: string } {
  const out = { text: "", write: (s: string) => void (out.text += s) };
  return out;
}

test("bench: a short run on wasm prints the table and writes the report", async () => {
  const json = join(mkdtempSync(join(tmpdir(), "gradlab-bench-")), "bench.json");
  const stdout = buffer();
  const stderr = buffer();
  const code = await runCli(["bench", "--backend", "wasm", "--steps", "2", "--warmup", "1", "--only", "E1 relu", "--threads", "2", "--json", json], { stdout, stderr });
  assert.is(code, 0, stderr.text);
  assert.match(stdout.text, /workload\s+batch\s+engine\s+products\s+thr/);
  assert.match(stdout.text, /^E1 relu\s+256\s+fast-dense gemm kernel\s+2 /m);
  assert.match(stdout.text, /^E1 relu: gradient recording every 100 steps adds [\d.]+ µs a step on average \([\d.]+% of the step median/m);
  const report = JSON.parse(readFileSync(json, "utf8"));
  assert.is(report.environment.backend, "wasm");
  assert.is(report.workloads.length, 1);
  const w = report.workloads[0];
  assert.equal([w.name, w.engine, w.products, w.threads], ["E1 relu", "fast-dense", "gemm kernel", 2]);
  for (const t of [w.step, w.oneThread, w.recording, w.naive]) assert.is(t.steps, 2);
  assert.ok(w.speedup > 0 && w.gflops > 0 && w.recordingPerStepMs >= 0);
});

test("bench --population: both runs are timed and printed, the ratio is theirs, and the report is written", async () => {
  const json = join(mkdtempSync(join(tmpdir(), "gradlab-bench-")), "population.json");
  const stdout = buffer();
  const stderr = buffer();
  const code = await runCli(["bench", "--backend", "wasm", "--population", "2", "--steps", "20", "--json", json], { stdout, stderr });
  assert.is(code, 0, stderr.text);
  assert.match(stdout.text, /^population wasm\s+workers \(2 at once\)\s+2\s+20\s+[\d.]+\s+[\d.]+\s+([\d.]+\s+[\d.]+|-\s+-)$/m);
  assert.match(stdout.text, /^baseline\s+wasm\s+workers \(2 at once\)\s+2\s+20 /m);
  const report = JSON.parse(readFileSync(json, "utf8"));
  const { population: p, baseline: b } = report;
  assert.equal([p.engine, p.replicas, p.steps, b.backend, b.replicas, b.workers], ["workers", 2, 20, "wasm", 2, 2]);
  assert.ok(Math.abs(p.modelStepsPerSecond - (2 * 20) / p.seconds) < 1e-9 * p.modelStepsPerSecond);
  // 20 steps against 10 on a shared machine: the steady rate may be unmeasurable (null), and then so is the ratio.
  if (p.steadyModelStepsPerSecond !== null && b.steadyModelStepsPerSecond !== null) {
    assert.is(report.ratio, p.steadyModelStepsPerSecond / b.steadyModelStepsPerSecond);
    assert.match(stdout.text, new RegExp(`population ÷ baseline: ${report.ratio.toFixed(2)}×`));
  } else {
    assert.is(report.ratio, null);
    assert.match(stdout.text, /population ÷ baseline: not measured/);
  }
});

test("bench: bad flags are refused with the flag named", async () => {
  for (const [args, message] of [
    [["--steps", "0"], /--steps: expected an integer ≥ 1, got 0/],
    [["--threads", "3"], /--threads: expected 1 or 2, got 3/],
    [["--only", "E9"], /--only: no workload matches "E9"; the workloads are E1 sigmoid, E1 relu, E3 clip-15, E4 bn-elu-he/],
    [["--only", "("], /--only: expected a regular expression, got "\("/],
    [["--population", "0"], /--population: expected an integer ≥ 1 \(replicas\), got 0/],
    [["--population", "4", "--steps", "25"], /--steps: with --population, expected a multiple of 10, at least 20/],
    [["--population", "4", "--only", "E1"], /--population times the population engine only; --only does not apply/],
    [["--population", "4", "--full-e1"], /--population times the population engine only; --full-e1 does not apply/],
    [["--population", "4", "--warmup", "5"], /--population times the population engine only; --warmup does not apply/],
    [["--population", "4", "--data-dir", "."], /--population times the population engine only; --data-dir does not apply/],
    [["--data-dir", "."], /--data-dir: only --full-e1 reads Fashion-MNIST/],
  ] as const) {
    const stderr = buffer();
    const code = await runCli(["bench", "--backend", "wasm", ...args], { stdout: buffer(), stderr });
    assert.is(code, 2, stderr.text);
    assert.match(stderr.text, message);
  }
});

test.run();
