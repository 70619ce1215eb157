/**
 * One experiment on two backends must tell the same story: every claim's verdict the same (a
 * verdict that differs is a failure, not a note), every number within the fixtures'
 * cross-backend tolerance (src/golden/tolerance.ts: trained series within a few percent),
 * and the run on each must really have trained: finite, non-zero losses, accuracies and
 * gradient statistics (a backend whose reads return zeros passed for a trained one before).
 */
import { type BackendName, useBackend } from "../../src/backend/mod.ts";
import type { ConfigBase, Experiment, ResultBase, RunContext } from "../../src/experiments/mod.ts";
import { runConfig } from "../../src/experiments/mod.ts";
import { compareResults, TOLERANCE_POLICY } from "../../src/golden/mod.ts";

/** The parts of a training run's result this check reads (every experiment that trains has them). */
interface TrainedRun {
  name: string;
  result: {
    epochs: Array<Record<string, number | undefined>>;
    steps: Array<{ iteration: number; loss: number; meanAbs: number[]; l2: number[]; globalNorm: number }>;
  };
}

/**
 * Runs `config` of `experiment` on `backend`.
 *
 * @example
 * const onWasm = await runOn("wasm", fashionSigmoidVsRelu, config);
 */
export async function runOn<C extends ConfigBase, R extends ResultBase<C>>(
  backend: BackendName,
  experiment: Experiment<C, R>,
  config: C,
  ctx: RunContext = {},
): Promise<R> {
  await useBackend(backend);
  return await runConfig(experiment, config, ctx);
}

/** "what is wrong" for every epoch metric or recorded gradient statistic that is not a finite positive number. */
function untrained(result: ResultBase): string[] {
  const runs = (result.series as { runs?: TrainedRun[] }).runs ?? [];
  const problems: string[] = [];
  const positive = (v: number | undefined) => v === undefined || (Number.isFinite(v) && v > 0);
  for (const run of runs) {
    const where = `${result.environment.backend}, run ${run.name}`;
    for (const e of run.result.epochs) {
      for (const key of ["lossSum", "lossMean", "trainAccuracy", "testAccuracy", "testLoss"]) {
        if (!positive(e[key])) problems.push(`${where}, epoch ${e.epoch}: ${key} = ${e[key]}, not a finite positive number`);
      }
    }
    if (run.result.steps.length === 0) problems.push(`${where}: no gradient statistics were recorded`);
    for (const s of run.result.steps) {
      const values = [s.loss, s.globalNorm, ...s.meanAbs, ...s.l2];
      if (!values.every(positive)) problems.push(`${where}, iteration ${s.iteration}: a loss or gradient statistic is zero or not finite`);
    }
  }
  return problems;
}

/**
 * Everything that differs between `reference` and `checked` (two runs of one experiment's
 * config on two backends), one line each; empty when they agree.
 *
 * @example
 * const problems = agreementProblems(fashionSigmoidVsRelu, onWasm, onWebgpu);
 */
export function agreementProblems(experiment: Experiment, reference: ResultBase, checked: ResultBase): string[] {
  const a = reference.environment.backend, b = checked.environment.backend;
  const problems: string[] = [];
  for (const claim of reference.claims) {
    const other = checked.claims.find((c) => c.id === claim.id);
    if (!other) problems.push(`claim ${claim.id}: checked on ${a}, missing on ${b}`);
    else if (other.held !== claim.held) {
      problems.push(
        `claim ${claim.id}: ${claim.held ? "holds" : "fails"} on ${a} (${claim.measured}) but ${other.held ? "holds" : "fails"} on ${b} (${other.measured})`,
      );
    }
  }
  const report = compareResults(reference, checked, TOLERANCE_POLICY, experiment.atInitPaths);
  // The engine is the backend's choice (fast-dense where tensors live on the host, else autodiff): not a difference.
  for (const m of report.mismatches.filter((m) => !m.path.endsWith(".engine"))) problems.push(`${m.path}: ${a} ${JSON.stringify(m.fixture)}, ${b} ${JSON.stringify(m.rerun)} (${m.rule})`);
  problems.push(...untrained(reference), ...untrained(checked));
  return problems;
}
