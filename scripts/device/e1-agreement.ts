/**
 * E1 quick run on another backend against its fixture (computed on wasm): the same claim
 * verdicts, every number within the fixtures' cross-backend tolerance, losses, accuracies and
 * gradient statistics finite and non-zero (properties/backends/experiment-agreement.ts), and
 * each run's final test accuracy within 2 points of the fixture's. Prints the comparison;
 * exits 1 when they disagree.
 *
 *   deno run -A scripts/device/e1-agreement.ts RESULT.json    (from `gradlab run … --out RESULT.json`)
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { agreementProblems } from "../../properties/backends/experiment-agreement.ts";
import { experimentNamed, type ResultBase, type RunSummary } from "../../src/experiments/mod.ts";

const fashionSigmoidVsRelu = experimentNamed("fashion-sigmoid-vs-relu");
import { readFixture } from "../../src/fixtures/mod.ts";

/** Test accuracies may differ by this much (the issue's "within 2 points"); the tolerance policy allows 1. */
const ACCURACY_POINTS = 2;

const path = process.argv[2];
if (!path) {
  console.error("usage: deno run -A scripts/device/e1-agreement.ts RESULT.json");
  process.exit(2);
}
const checked = JSON.parse(readFileSync(path, "utf8")) as ResultBase;
const reference = readFixture("fashion-sigmoid-vs-relu", "quick") as unknown as ResultBase;
const runs = (r: ResultBase) => (r.summary as { runs: RunSummary[] }).runs;

const a = reference.environment, b = checked.environment;
console.log(`E1 quick: ${b.backend} on ${b.runtime} ${b.runtimeVersion} (${b.device}) against the fixture: ${a.backend} on ${a.runtime}`);
const problems = agreementProblems(fashionSigmoidVsRelu, reference, checked);
for (const run of runs(checked)) {
  const ref = runs(reference).find((r) => r.name === run.name)!;
  const points = 100 * Math.abs((run.finalTestAccuracy ?? NaN) - (ref.finalTestAccuracy ?? NaN));
  console.log(`  ${run.name}: test accuracy ${run.finalTestAccuracy} (fixture ${ref.finalTestAccuracy}, ${points.toFixed(2)} points apart), loss ${run.finalLossMean}`);
  if (!(points <= ACCURACY_POINTS)) problems.push(`${run.name}: test accuracy ${points.toFixed(2)} points from the fixture's (at most ${ACCURACY_POINTS})`);
}
for (const c of checked.claims) {
  const ref = reference.claims.find((r) => r.id === c.id);
  console.log(`  claim ${c.id}: ${c.held ? "held" : "FAILED"} (${c.measured}); fixture ${ref?.held ? "held" : "FAILED"} (${ref?.measured})`);
}
console.log(problems.length ? `DISAGREES (${problems.length}):\n${problems.slice(0, 30).map((p) => `  ${p}`).join("\n")}` : "AGREES");
process.exitCode = problems.length ? 1 : 0;
