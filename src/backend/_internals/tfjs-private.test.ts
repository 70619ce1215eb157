/**
 * The private tfjs fields gradlab reads (tfjs-private.ts) are still there and still mean what
 * they meant: a tfjs upgrade that moves one fails here, naming it, rather than as wrong numbers
 * or slow reads somewhere in training; and an upgrade at all asks for the audit again.
 */
import * as tf from "@tensorflow/tfjs-core";
import { version_cpu } from "@tensorflow/tfjs-backend-cpu";
import { version_wasm } from "@tensorflow/tfjs-backend-wasm";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { useBackend } from "../mod.ts";
import { AUDITED_TFJS, cpuView, engineInternals, wasmHeap, wasmView } from "./tfjs-private.ts";

const changed = (field: string) => `tfjs ${tf.version_core} changed ${field} (tfjs-private.ts was audited against ${AUDITED_TFJS}): re-audit it`;

test("the installed tfjs is the one the private fields were audited against (an upgrade re-audits them, then updates AUDITED_TFJS)", () => {
  for (const [name, version] of [["tfjs-core", tf.version_core], ["tfjs-backend-cpu", version_cpu], ["tfjs-backend-wasm", version_wasm]]) {
    assert.is(version, AUDITED_TFJS, `${name} ${version} is installed, tfjs-private.ts was audited against ${AUDITED_TFJS}: re-audit it (the tests below check what they can)`);
  }
});

test("tfjs-core's Engine still has registry and initializeBackend", async () => {
  await useBackend("cpu");
  const engine = engineInternals();
  assert.type(engine.registry, "object", changed("Engine.registry"));
  assert.ok(engine.registry["cpu"] === tf.findBackend("cpu"), changed("Engine.registry (no longer maps names to backends)"));
  assert.type(engine.initializeBackend, "function", changed("Engine.initializeBackend"));
});

test("the cpu backend still keeps a tensor's values as its Float32Array, and has firstUse", async () => {
  await useBackend("cpu");
  const backend = tf.findBackend("cpu")!;
  assert.type((backend as unknown as { firstUse?: unknown }).firstUse, "boolean", changed("the cpu backend's firstUse"));
  const t = tf.tensor1d([1.5, -2, 3]);
  try {
    const view = cpuView(backend, t);
    assert.ok(view !== null, changed("the cpu backend's data.get(dataId).values"));
    assert.equal(Array.from(view!), [1.5, -2, 3], changed("the cpu backend's data.get(dataId).values"));
  } finally {
    t.dispose();
  }
});

test("the wasm backend still has its heap and each tensor's offset in it", async () => {
  await useBackend("wasm");
  const backend = tf.findBackend("wasm")!;
  assert.instance(wasmHeap(backend), Uint8Array, changed("the wasm backend's wasm.HEAPU8"));
  const t = tf.tensor1d([1.5, -2, 3]);
  try {
    const view = wasmView(backend, t);
    assert.ok(view !== null, changed("the wasm backend's dataIdMap.get(dataId).memoryOffset"));
    assert.equal(Array.from(view!), [1.5, -2, 3], changed("the wasm backend's memoryOffset (the view reads other values)"));
  } finally {
    t.dispose();
    await useBackend("cpu");
  }
});

test.run();
