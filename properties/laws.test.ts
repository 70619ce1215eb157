/**
 * Every law on every available backend except WebGPU (too slow per op at these counts: its
 * CI-sized run is properties/webgpu.test.ts; all of it is `gradlab props --backend webgpu`), at the CI run count — GRADLAB_TEST_PROFILE=thorough runs
 * 10× more. One seed for all, printed; GRADLAB_SEED=<seed> repeats a run, and each failure
 * prints the command that replays its shrunk counterexample.
 */
import process from "node:process";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { listBackends } from "../src/backend/mod.ts";
import { restoreBackendAfter } from "../src/backend/testing.ts";
import { TEST_SEED } from "./_internals/test-seed.ts";
import { checkLaw, type Profile, runsFor } from "./harness.ts";
import { LAWS } from "./laws.ts";
import { describeResult } from "./report-markdown.ts";

const seed = TEST_SEED;
const profile: Profile = process.env.GRADLAB_TEST_PROFILE === "thorough" ? "thorough" : "ci";
const backends = (await listBackends()).filter((b) => b.available && b.name !== "webgpu").map((b) => b.name);
console.log(`properties/laws.test.ts: profile ${profile}, backends ${backends.join(", ")}`);

restoreBackendAfter(test);

for (const backend of backends) {
  for (const law of LAWS) {
    test(`${law.name} on ${backend}`, async () => {
      const result = await checkLaw(law, backend, { seed, runs: runsFor(law, backend, profile) });
      assert.ok(result.status === "passed", describeResult(result));
    });
  }
}

test.run();
