/**
 * Experiments as data: experiment files (definition.ts, `gradlab schema experiment`), made
 * runnable (experiment-file.ts), the source experiments E1–E6 among them (builtin.ts), their
 * results (plain data) and the claims judged on them.
 */
import { existsSync, statSync } from "node:fs";
import { EXPERIMENTS } from "./builtin.ts";
import type { Experiment } from "./experiment.ts";
import { type ExperimentConfig, experimentFromDefinition, type ExperimentResult, readExperimentFile } from "./experiment-file.ts";
import type { ActivationDerivativesResult } from "./kinds/activation-derivatives.ts";
import type { GlorotCheckResult } from "./kinds/glorot-check.ts";
import type { PairMeasurement } from "./kinds/variance-pairs.ts";
import type { RunRecord } from "./result.ts";
import type { Run, TrainRun } from "./definition.ts";

export * from "./claims.ts";
export type { ConfigBase, Experiment, ExperimentOutput, ExperimentProgress, ResultBase, RunContext, TrainRunsHook } from "./experiment.ts";
export { experimentLabel } from "./experiment.ts";
export * from "./result.ts";
export { runConfig, runExperiment } from "./run.ts";
export { EXPERIMENTS, EXPERIMENTS_DIR } from "./builtin.ts";
export { EXPERIMENT_FORMAT, type ExperimentDefinition, experimentSchema, mergePatch } from "./definition.ts";
export {
  definitionProblems,
  type ExperimentConfig,
  ExperimentFileError,
  experimentFromDefinition,
  type ExperimentResult,
  type ExperimentSeries,
  readExperimentFile,
  seedDependentData,
} from "./experiment-file.ts";
export { evaluate, kernelMeanAbs } from "./measure.ts";
export type { Run, TrainRun } from "./definition.ts";
export { measureLayerVariances, type PairMeasurement, perLayerRatio, VARIANCE_BAND, varianceStack } from "./kinds/variance-pairs.ts";
export type { ActivationDerivativesResult } from "./kinds/activation-derivatives.ts";
export type { GlorotCheckResult } from "./kinds/glorot-check.ts";

/** The experiment with this name (or id, e.g. "E1"); throws listing the known names. */
export function experimentNamed(name: string): Experiment<ExperimentConfig, ExperimentResult> {
  const e = EXPERIMENTS.find((x) => x.name === name || x.id.toLowerCase() === name.toLowerCase());
  if (!e) throw new Error(`unknown experiment ${JSON.stringify(name)}; known: ${EXPERIMENTS.map((x) => `${x.name} (${x.id})`).join(", ")}`);
  return e;
}

/**
 * A source experiment by name or id, or an experiment file by path (anything that names an
 * existing file, or ends in .json). A file is read and checked whole before it is returned.
 *
 * @example
 * experimentOf("E1"); experimentOf("examples/experiments/xor-depth.json");
 */
export function experimentOf(nameOrPath: string): Experiment<ExperimentConfig, ExperimentResult> {
  const isFile = nameOrPath.endsWith(".json") || (existsSync(nameOrPath) && statSync(nameOrPath).isFile());
  return isFile ? experimentFromDefinition(readExperimentFile(nameOrPath), nameOrPath) : experimentNamed(nameOrPath);
}

/**
 * The train runs of a config, in order.
 *
 * @example
 * trainRunsOf(result.config).map((r) => r.training.epochs);
 */
export function trainRunsOf(config: { runs: readonly Run[] }): TrainRun[] {
  return config.runs.filter((r): r is TrainRun => r.kind === "train");
}

/** The (first) variance-pairs run of a config; throws when there is none. */
export function variancePairsRunOf(config: { runs: readonly Run[] }): Extract<Run, { kind: "variance-pairs" }> {
  const run = config.runs.find((r): r is Extract<Run, { kind: "variance-pairs" }> => r.kind === "variance-pairs");
  if (!run) throw new Error("the experiment has no variance-pairs run");
  return run;
}

type WithSeries<S> = Omit<ExperimentResult, "series"> & { series: S };
/** E1's result: two train runs. */
export type FashionSigmoidVsReluResult = WithSeries<{ runs: RunRecord[] }>;
/** E2's result: six train runs, the Glorot check and the derivatives. */
export type LessonGlorotResult = WithSeries<{ runs: RunRecord[]; glorotCheck: GlorotCheckResult; derivatives: ActivationDerivativesResult }>;
/** E3's result: one train run with norms every step. */
export type MnistGlobalNormClippingResult = WithSeries<{ runs: RunRecord[] }>;
/** E4's result: five train runs. */
export type MnistBnEluHeResult = WithSeries<{ runs: RunRecord[] }>;
/** E5's result: one train run. */
export type MnistReluSgdMomentumResult = WithSeries<{ runs: RunRecord[] }>;
/** E6's result: the activation × init pairs. */
export type InitVarianceResult = WithSeries<{ pairs: PairMeasurement[] }>;

/** Each source experiment's result type, by name. */
export interface ResultByExperiment {
  "fashion-sigmoid-vs-relu": FashionSigmoidVsReluResult;
  "lesson-glorot": LessonGlorotResult;
  "mnist-global-norm-clipping": MnistGlobalNormClippingResult;
  "mnist-bn-elu-he": MnistBnEluHeResult;
  "mnist-relu-sgd-momentum": MnistReluSgdMomentumResult;
  "init-variance": InitVarianceResult;
}
export type ExperimentName = keyof ResultByExperiment;
