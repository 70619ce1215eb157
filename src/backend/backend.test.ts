import process from "node:process";
import * as tf from "@tensorflow/tfjs-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  activeBackend,
  BACKEND_TOLERANCE,
  type BackendInfo,
  chooseBackend,
  chosenBackend,
  environment,
  listBackends,
  useBackend,
} from "./mod.ts";

/** Runs `f` and returns the message of the Error it throws (fails when it does not throw). */
async function thrownMessage(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (error) {
    assert.instance(error, Error);
    return (error as Error).message;
  }
  assert.unreachable("expected an Error");
  return "";
}

function fake(name: BackendInfo["name"], available: boolean, fallback?: boolean): BackendInfo {
  const info: BackendInfo = { name, available, reason: `${name} reason`, device: `${name} device` };
  if (fallback !== undefined) info.fallback = fallback;
  return info;
}

test("cpu and wasm are available here, each with a reason and a device", async () => {
  const infos = await listBackends();
  assert.equal(infos.map((i) => i.name), ["cpu", "wasm", "webgpu", "tensorflow", "tensorflow-gpu"]);
  for (const name of ["cpu", "wasm"]) {
    const info = infos.find((i) => i.name === name)!;
    assert.ok(info.available, `${name}: ${info.reason}`);
    assert.ok(info.reason.length > 0 && info.device.length > 0);
  }
});

test("every backend that is not available says why", async () => {
  for (const info of await listBackends()) {
    if (!info.available) assert.ok(info.reason.length > 0, `${info.name} has no reason`);
  }
});

test("tensorflow (tfjs-node) is optional: absent here, with a reason", async () => {
  const info = (await listBackends()).find((i) => i.name === "tensorflow")!;
  // Where @tensorflow/tfjs-node is really installed this backend may work; then nothing to check.
  if (!info.available) assert.match(info.reason, /not installed|failed to load|could not initialize/);
});

test("asking for an unknown backend throws and lists the available ones", async () => {
  const message = await thrownMessage(() => useBackend("webgl"));
  assert.match(message, /unknown backend "webgl"/);
  assert.match(message, /expected one of cpu, wasm, webgpu, tensorflow, tensorflow-gpu/);
  assert.match(message, /available here: cpu, wasm/);
});

test("asking for an unavailable backend throws, says why, and lists the available ones", async () => {
  const missing = (await listBackends()).find((i) => !i.available);
  if (!missing) return; // every backend works on this machine
  const message = await thrownMessage(() => useBackend(missing.name));
  assert.match(message, `backend "${missing.name}" is not available: ${missing.reason}`);
  assert.match(message, /available here: cpu, wasm/);
});

test("GRADLAB_BACKEND is used when no name is given, and named in its errors", async () => {
  const saved = process.env.GRADLAB_BACKEND;
  try {
    process.env.GRADLAB_BACKEND = "cpu";
    assert.is((await useBackend()).name, "cpu");
    process.env.GRADLAB_BACKEND = "nope";
    assert.match(await thrownMessage(() => useBackend()), /^GRADLAB_BACKEND: unknown backend "nope"/);
    assert.is((await useBackend("wasm")).name, "wasm", "an explicit name wins over the variable");
  } finally {
    if (saved === undefined) delete process.env.GRADLAB_BACKEND;
    else process.env.GRADLAB_BACKEND = saved;
  }
});

test("the default order skips a fallback GPU adapter but takes it when asked by name", () => {
  const infos = [fake("cpu", true), fake("wasm", true), fake("webgpu", true, true), fake("tensorflow", false)];
  assert.is(chooseBackend(infos).name, "wasm");
  assert.is(chooseBackend(infos, "webgpu").name, "webgpu");
  const gpu = [fake("cpu", true), fake("wasm", true), fake("webgpu", true, false)];
  assert.is(chooseBackend(gpu).name, "webgpu");
  assert.is(chooseBackend([...infos, fake("tensorflow-gpu", true)]).name, "tensorflow-gpu");
  assert.throws(() => chooseBackend([fake("cpu", false)]), /no backend is available/);
});

test("useBackend activates the backend and tfjs computes on it", async () => {
  for (const name of ["cpu", "wasm"] as const) {
    const info = await useBackend(name);
    assert.is(info.name, name);
    assert.is(activeBackend().name, name);
    assert.is(tf.getBackend(), name);
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync());
    assert.equal(Array.from(sum), [4, 6]);
  }
});

test("the chosen backend's handle carries what the engines may assume of it and its tolerance", async () => {
  await useBackend("cpu");
  const cpu = chosenBackend();
  assert.equal([cpu.name, cpu.hostMemory, cpu.wasmGemm, cpu.heapMaxBytes], ["cpu", true, false, null]);
  assert.is(cpu.tolerance, BACKEND_TOLERANCE.cpu);
  await useBackend("wasm");
  const wasm = chosenBackend();
  assert.equal([wasm.name, wasm.hostMemory, wasm.wasmGemm], ["wasm", true, true]);
  assert.is(wasm.tolerance, BACKEND_TOLERANCE.wasm);
  assert.ok(wasm.tolerance.kernelUlps > cpu.tolerance.kernelUlps, "wasm's approximations are looser than cpu's correctly rounded kernels");
});

test("activeBackend notices a backend switched behind gradlab's back", async () => {
  await useBackend("cpu");
  await tf.setBackend("wasm");
  assert.throws(() => activeBackend(), /switch backends with useBackend\(\)/);
  await useBackend("cpu");
});

test("environment() records backend, device, runtime and tfjs version", async () => {
  const info = await useBackend("wasm");
  const env = environment();
  assert.is(env.backend, "wasm");
  assert.is(env.device, info.device);
  assert.ok(["bun", "deno", "node"].includes(env.runtime));
  assert.match(env.runtimeVersion, /^\d+\.\d+/);
  assert.is(env.tfjsVersion, tf.version_core);
  assert.ok(env.platform.length > 0 && env.arch.length > 0);
  assert.ok(Number.isInteger(env.threads) && env.threads! >= 1);
  assert.equal(JSON.parse(JSON.stringify(env)), env, "plain JSON");
  await useBackend("cpu");
});

test.run();
