import { test } from "uvu";
import * as assert from "uvu/assert";
import { MAX_SEEDS, seedPlan } from "./seed-plan.ts";

test("--seeds N is N consecutive seeds from the base; A..B is the range itself, both ends included", () => {
  assert.equal(seedPlan("4", 10).seeds, [10, 11, 12, 13]);
  assert.match(seedPlan("4", 10).description, "from base seed 10 (10..13)");
  assert.equal(seedPlan("3..5", 999).seeds, [3, 4, 5]);
  assert.equal(seedPlan("7..7", 0).seeds, [7]);
  assert.equal(seedPlan("2", 4294967294).seeds, [4294967294, 4294967295]);
});

test("a malformed, empty, reversed or too long plan is refused, naming the flag and what was expected", () => {
  assert.throws(() => seedPlan("eight", 0), /--seeds: expected a count N or a range A\.\.B of seeds, got "eight"/);
  assert.throws(() => seedPlan("0", 0), /--seeds 0: expected at least 1 seed/);
  assert.throws(() => seedPlan("5..3", 0), /--seeds 5\.\.3: expected A\.\.B with A ≤ B/);
  assert.throws(() => seedPlan("-2", 0), /expected a count N or a range/);
  assert.throws(() => seedPlan("3", 4294967294), /base seed 4294967294 \+ 3 seeds passes 4294967295/);
  assert.throws(() => seedPlan("0..4294967296", 0), /the last seed: expected an integer in \[0, 4294967295\]/);
  assert.throws(() => seedPlan(String(MAX_SEEDS + 1), 0), /at most 100000 in one run/);
});

test.run();
