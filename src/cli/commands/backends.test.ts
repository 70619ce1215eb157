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

test.run();
