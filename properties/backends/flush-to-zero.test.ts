/**
 * Subnormals flushed to zero are a property of the backend (tolerance.ts), not a weakening of
 * the laws: on a test double of a flushing GPU (every cpu kernel flushes its subnormal inputs
 * and results, _internals/flushing-cpu.ts) every law passes with cpu's tolerance declared as
 * flushing, and the laws that meet subnormals fail with cpu's own tolerance, which says cpu
 * keeps them. (NVIDIA's Vulkan driver flushes: on an H200, selu-derivative and clip-by-value
 * failed before the laws read the backend's property.)
 */
import * as fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { useBackend } from "../../src/backend/mod.ts";
import { restoreBackendAfter } from "../../src/backend/testing.ts";
import { flushSubnormalsOnCpu } from "../_internals/flushing-cpu.ts";
import { TEST_SEED } from "../_internals/test-seed.ts";
import { LAWS } from "../laws.ts";
import { toleranceFor } from "../tolerance.ts";

restoreBackendAfter(test);

const cpu = toleranceFor("cpu");
const flushingCpu = { ...cpu, flushesSubnormals: true };
/** The laws whose inputs include subnormals: they must notice flushing a backend does not declare. */
const MEET_SUBNORMALS = ["relu-derivative", "leaky-relu-derivative", "selu-derivative", "clip-by-value"];

/** Runs `f` on cpu with every kernel flushing subnormals. */
async function onFlushingCpu<T>(f: () => Promise<T>): Promise<T> {
  await useBackend("cpu");
  const restore = flushSubnormalsOnCpu();
  try {
    return await f();
  } finally {
    restore();
  }
}

test("the test double flushes: relu(2^-149) = 0, 2^-126 · 0.5 = 0", async () => {
  const tf = await import("@tensorflow/tfjs-core");
  const values = await onFlushingCpu(async () => {
    const t = tf.tidy(() => tf.concat([tf.relu(tf.tensor1d([2 ** -149])), tf.mul(tf.tensor1d([2 ** -126]), 0.5)]));
    const v = Array.from(await t.data());
    t.dispose();
    return v;
  });
  assert.equal(values, [0, 0]);
});

/** A quarter of each law's CI runs: every kernel call scans its inputs and results (all laws at full count: 14 s). */
const runsOf = (runs: number) => Math.max(2, Math.round(runs / 4));

test("every law passes on a flushing backend that declares it", async () => {
  const failed = await onFlushingCpu(async () => {
    const out: string[] = [];
    // backend-agreement compares the checked backend with cpu: here both are this cpu.
    for (const law of LAWS.filter((l) => l.name !== "backend-agreement")) {
      const details = await fc.check(law.property({ backend: "cpu", tolerance: flushingCpu }), { seed: TEST_SEED, numRuns: runsOf(law.runs) });
      if (details.failed) out.push(`${law.name}: ${fc.defaultReportMessage(details)?.split("\n").slice(0, 3).join(" ")}`);
    }
    return out;
  });
  assert.equal(failed, [], failed.join("\n"));
});

test("the laws that meet subnormals fail on a backend that flushes without declaring it", async () => {
  const caught = await onFlushingCpu(async () => {
    const out: string[] = [];
    for (const law of LAWS.filter((l) => MEET_SUBNORMALS.includes(l.name))) {
      const details = await fc.check(law.property({ backend: "cpu", tolerance: cpu }), { seed: TEST_SEED, numRuns: 4 * law.runs, endOnFailure: true });
      if (details.failed) out.push(law.name);
    }
    return out;
  });
  assert.equal(caught, MEET_SUBNORMALS);
});

test.run();
