/**
 * Every law catches a fault, on cpu, with a counterexample — the proof that the properties are
 * able to fail:
 *  - in src/core itself: each fault point (src/core/fault-points.ts), a bug in the training
 *    core's own code path switched on for one check, fails the law it names; every law has one;
 *  - around a stand-in: each law that takes the implementation under test fails on a buggy
 *    one (_internals/planted-faults.ts).
 * Shrinking is skipped: only the failure matters here.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { restoreBackendAfter } from "../src/backend/testing.ts";
import { FAULT_POINTS, type FaultPoint, withFaultPoint } from "../src/core/mod.ts";
import { plantedFaults } from "./_internals/planted-faults.ts";
import { TEST_SEED } from "./_internals/test-seed.ts";
import { checkLaw } from "./harness.ts";
import type { Law } from "./law.ts";
import { LAWS } from "./laws.ts";

const seed = TEST_SEED;

restoreBackendAfter(test);

const standIns = plantedFaults();
const points = Object.entries(FAULT_POINTS) as [FaultPoint, { law: string; fault: string }][];

test("every law has a fault planted in src/core, and every fault point names a law", () => {
  const covered = new Set(points.map(([, p]) => p.law));
  assert.equal(LAWS.map((l) => l.name).filter((n) => !covered.has(n)), []);
  assert.equal(points.filter(([, p]) => !LAWS.some((l) => l.name === p.law)).map(([name]) => name), []);
});

async function expectCaught(law: Law, fault: string, check: () => ReturnType<typeof checkLaw>): Promise<void> {
  const result = await check();
  assert.is(result.status, "failed", `${law.name} did not catch "${fault}" in ${2 * law.runs} runs (seed ${seed})`);
  assert.ok(result.counterexample, `${law.name} failed without a counterexample: ${result.error}`);
}

for (const [point, { law: name, fault }] of points) {
  const law = LAWS.find((l) => l.name === name);
  if (!law) continue; // reported by the first test
  test(`${name} catches, in src/core, ${point}: ${fault}`, () =>
    expectCaught(law, fault, () => withFaultPoint(point, () => checkLaw(law, "cpu", { seed, runs: 2 * law.runs, shrink: false }))));
}

for (const { law, fault } of standIns) {
  test(`${law.name} catches the stand-in: ${fault}`, () => expectCaught(law, fault, () => checkLaw(law, "cpu", { seed, runs: 2 * law.runs, shrink: false })));
}

test.run();
