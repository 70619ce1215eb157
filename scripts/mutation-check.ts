/**
 * The focused check StrykerJS runs for every mutant of src/core (`npm run mutate`,
 * stryker.config.mjs): the laws that guard the optimizers, clipping, the recorder, the
 * activation derivatives and batch norm, then the unit tests of the same code, stopping at the
 * first failure (a killed mutant costs only what it takes to fail). No fixture is rerun: a
 * mutant must be caught by a law or a property, not by a regression check.
 *
 *   bun scripts/mutation-check.ts [--list]
 *
 * Exits 1 on the first failure (printing it), 0 when everything passes. The seed is
 * GRADLAB_SEED, else the CI seed, so a mutant's fate can be replayed.
 */
import process from "node:process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BackendName } from "../src/backend/mod.ts";
import { checkLaw } from "../properties/harness.ts";
import { LAWS } from "../properties/laws.ts";
import { describeResult } from "../properties/report-markdown.ts";

/** Laws by backend, with the fraction of their CI runs, cheapest and most often failing first. */
const PLAN: [BackendName, RegExp, number][] = [
  ["cpu", /^(engine-.*|clip-.*|batchnorm-.*|.*-derivative|sigmoid-chain-bound|relu-orthogonal-chain)$/, 1],
  // the kernel pass (wasm only) and tfjs-wasm's kernels (clip-by-value guards XNNPACK's clamp
  // of NaN); the other engines ran on cpu already, so half the runs
  ["wasm", /^(engine-optimizer-step|engine-clipping|engine-recorded-statistics|clip-by-value)$/, 0.5],
];

/**
 * Unit tests of the same code (refusals of bad arguments, bits of the wasm kernels against the
 * JavaScript, fast vs autodiff gradients, training stopped by non-finite numbers), their
 * fast-check properties at 20 runs (GRADLAB_FC_RUNS) instead of 40–100.
 */
const TEST_FILES = [
  "src/core/optimizers/optimizers.test.ts",
  "src/core/clipping.test.ts",
  "src/core/activations.test.ts",
  "src/core/autodiff-engine.test.ts",
  "src/core/optimizers/adam-wasm.test.ts",
  "src/core/fast/kernels/activation.test.ts",
  "src/core/fast/kernels/reduce.test.ts",
  "src/core/fast/dense-engine.test.ts",
  // training stops on a non-finite loss or gradient, naming where (both engines)
  "src/core/train.test.ts",
];

const root = fileURLToPath(new URL("..", import.meta.url));
const seed = Number(process.env.GRADLAB_SEED ?? 20261125);

async function main(): Promise<number> {
  if (process.argv.includes("--list")) {
    for (const [backend, re, share] of PLAN) {
      for (const law of LAWS.filter((l) => re.test(l.name))) console.log(`law ${law.name} on ${backend}, ${Math.ceil(share * law.runs)} runs`);
    }
    for (const file of TEST_FILES) console.log(`tests ${file}`);
    return 0;
  }
  for (const [backend, re, share] of PLAN) {
    for (const law of LAWS.filter((l) => re.test(l.name))) {
      const result = await checkLaw(law, backend, { seed, runs: Math.ceil(share * law.runs), shrink: false });
      if (result.status !== "passed") {
        console.log(describeResult(result));
        return 1;
      }
    }
  }
  // uvu as scripts/test.ts drives it (one queue group per file), stopping at the first failed test
  process.env.GRADLAB_FC_RUNS ??= "20";
  const g = globalThis as { UVU_DEFER?: number; UVU_INDEX?: number; UVU_QUEUE?: unknown[][] };
  g.UVU_DEFER = 1;
  const uvu = await import("uvu");
  const queue = (g.UVU_QUEUE ??= []);
  for (const [i, file] of TEST_FILES.entries()) {
    g.UVU_INDEX = i;
    queue.push([file]);
    await import(pathToFileURL(join(root, file)).href);
    uvu.test.run();
  }
  await uvu.exec(true);
  return process.exitCode === 1 ? 1 : 0;
}

process.exitCode = await main();
process.exit();
