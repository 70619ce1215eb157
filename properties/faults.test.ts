/**
 * Every law catches a planted fault: built around a buggy implementation (see
 * _internals/planted-faults.ts), each law must fail on cpu with a counterexample — the proof
 * that the properties are able to fail. Shrinking is skipped: only the failure matters here.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { restoreBackendAfter } from "../src/backend/testing.ts";
import { plantedFaults } from "./_internals/planted-faults.ts";
import { TEST_SEED } from "./_internals/test-seed.ts";
import { checkLaw } from "./harness.ts";
import { LAWS } from "./laws.ts";

const seed = TEST_SEED;

restoreBackendAfter(test);

const faults = plantedFaults();

test("every law has a planted fault", () => {
  const covered = new Set(faults.map((f) => f.law.name));
  assert.equal(LAWS.map((l) => l.name).filter((n) => !covered.has(n)), []);
});

for (const { law, fault } of faults) {
  test(`${law.name} catches: ${fault}`, async () => {
    const runs = 2 * law.runs;
    const result = await checkLaw(law, "cpu", { seed, runs, shrink: false });
    assert.is(result.status, "failed", `${law.name} did not catch "${fault}" in ${runs} runs (seed ${seed})`);
    assert.ok(result.counterexample, `${law.name} failed without a counterexample: ${result.error}`);
  });
}

test.run();
