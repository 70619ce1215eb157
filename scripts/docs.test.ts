import { test } from "uvu";
import * as assert from "uvu/assert";
import { exportsWithoutExample, referenceProblems } from "./docs.ts";

test("every name mod.ts exports has a doc comment with an @example", () => {
  assert.equal(exportsWithoutExample(), []);
});

test("docs/reference/ is what deno doc --html generates from mod.ts now (npm run docs regenerates it)", () => {
  assert.equal(referenceProblems(), []);
});

test.run();
