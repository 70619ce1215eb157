import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Output } from "../command.ts";
import { runCli } from "../main.ts";

function buffer(): Output & { text: string } {
  const out = { text: "", write: (s: string) => void (out.text += s) };
  return out;
}

test("backends --json: runtime, tfjs version, the chosen backend and every backend's status", async () => {
  const stdout = buffer();
  const code = await runCli(["backends", "--json"], { stdout, stderr: buffer() });
  assert.is(code, 0);
  const report = JSON.parse(stdout.text);
  assert.ok(["bun", "deno", "node"].includes(report.runtime));
  assert.type(report.runtimeVersion, "string");
  assert.type(report.tfjsVersion, "string");
  assert.equal(report.backends.map((b: { name: string }) => b.name), [
    "cpu", "wasm", "webgpu", "tensorflow", "tensorflow-gpu",
  ]);
  for (const b of report.backends) assert.ok(b.reason.length > 0, b.name);
});

test("backends: a table marking the backend gradlab would use", async () => {
  const stdout = buffer();
  const code = await runCli(["backends", "--backend", "cpu"], { stdout, stderr: buffer() });
  assert.is(code, 0);
  assert.match(stdout.text, /^\* cpu +available +JavaScript/m);
  assert.match(stdout.text, /^ {2}tensorflow +(no +not installed|available)/m);
  assert.match(stdout.text, /as asked by --backend/);
});

test("backends --check: each available backend's self-check, in the table and the JSON", async () => {
  const table = buffer();
  assert.is(await runCli(["backends", "--check"], { stdout: table, stderr: buffer() }), 0);
  assert.match(table.text, /^ +self-check: passed \(14 computations, \d+ values, subnormals kept, \d+ ms\)$/m);
  const json = buffer();
  assert.is(await runCli(["backends", "--check", "--json"], { stdout: json, stderr: buffer() }), 0);
  const report = JSON.parse(json.text);
  for (const b of report.backends) {
    if (b.available) assert.equal([b.name, b.selfCheck.passed], [b.name, true]);
    else assert.is(b.selfCheck, undefined, b.name);
  }
});

test("backends: for WebGPU, the adapter, whether it is a software one, and the limits of gradlab's device", async () => {
  const json = buffer();
  await runCli(["backends", "--json"], { stdout: json, stderr: buffer() });
  const webgpu = JSON.parse(json.text).backends.find((b: { name: string }) => b.name === "webgpu");
  if (!webgpu.available) {
    assert.is(webgpu.gpu, undefined);
    return; // no adapter here (Bun has no navigator.gpu): src/backend/webgpu.test.ts says so
  }
  assert.type(webgpu.gpu.adapter, "string");
  assert.type(webgpu.gpu.software, "boolean");
  assert.is(webgpu.fallback, webgpu.gpu.software);
  const names = webgpu.gpu.limits.map((l: { name: string }) => l.name);
  assert.ok(names.includes("maxStorageBuffersPerShaderStage") && names.includes("maxStorageBufferBindingSize"));
  const table = buffer();
  await runCli(["backends"], { stdout: table, stderr: buffer() });
  assert.match(table.text, /^ +adapter: .+$/m);
  assert.match(table.text, /^ +software: (yes|no), .+$/m);
  assert.match(table.text, /^ +maxStorageBuffersPerShaderStage +\d+ \/ \d+ \/ 8 +inputs \+ output of one op/m);
  assert.match(table.text, /^ +maxStorageBufferBindingSize +[\d.]+ [KMG]iB \/ [\d.]+ [KMG]iB \/ 128 MiB +the largest tensor/m);
});

test.run();
