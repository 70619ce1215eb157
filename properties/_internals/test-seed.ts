/**
 * The one seed of a test run: GRADLAB_SEED when set, else a fresh one — computed once per
 * process (every test file imports this module) and printed once, with how to repeat it.
 */
import process from "node:process";
import { checkSeed, freshSeed } from "../../src/core/mod.ts";

/** The test run's seed. */
export const TEST_SEED: number = process.env.GRADLAB_SEED ? checkSeed(Number(process.env.GRADLAB_SEED), "GRADLAB_SEED") : freshSeed();

console.log(`properties: seed ${TEST_SEED} (repeat with GRADLAB_SEED=${TEST_SEED})`);
