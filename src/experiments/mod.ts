/**
 * The seed experiments E1–E6 as named, typed experiments: configs per profile (plain data,
 * from JSON Schemas), results (plain data) and the claims checked on them.
 */
import type { Experiment } from "./experiment.ts";
import { fashionSigmoidVsRelu } from "./fashion-sigmoid-vs-relu.ts";
import { initVariance } from "./init-variance.ts";
import { lessonGlorot } from "./lesson-glorot.ts";
import { mnistBnEluHe } from "./mnist-bn-elu-he.ts";
import { mnistGlobalNormClipping } from "./mnist-global-norm-clipping.ts";
import { mnistReluSgdMomentum } from "./mnist-relu-sgd-momentum.ts";

export * from "./claims.ts";
export type { ConfigBase, Experiment, ExperimentOutput, ExperimentProgress, ResultBase, RunContext } from "./experiment.ts";
export * from "./result.ts";
export { runConfig, runExperiment } from "./run.ts";
export * from "./fashion-sigmoid-vs-relu.ts";
export * from "./lesson-glorot.ts";
export * from "./mnist-global-norm-clipping.ts";
export * from "./mnist-bn-elu-he.ts";
export * from "./mnist-relu-sgd-momentum.ts";
export * from "./init-variance.ts";

/** Every experiment, in E1…E6 order. */
// deno-lint-ignore no-explicit-any
export const EXPERIMENTS: readonly Experiment<any, any>[] = [
  fashionSigmoidVsRelu,
  lessonGlorot,
  mnistGlobalNormClipping,
  mnistBnEluHe,
  mnistReluSgdMomentum,
  initVariance,
];

/** The experiment with this name (or id, e.g. "E1"); throws listing the known names. */
// deno-lint-ignore no-explicit-any
export function experimentNamed(name: string): Experiment<any, any> {
  const e = EXPERIMENTS.find((x) => x.name === name || x.id.toLowerCase() === name.toLowerCase());
  if (!e) throw new Error(`unknown experiment ${JSON.stringify(name)}; known: ${EXPERIMENTS.map((x) => `${x.name} (${x.id})`).join(", ")}`);
  return e;
}

/** Each experiment's result type, by name. */
export interface ResultByExperiment {
  "fashion-sigmoid-vs-relu": import("./fashion-sigmoid-vs-relu.ts").FashionSigmoidVsReluResult;
  "lesson-glorot": import("./lesson-glorot.ts").LessonGlorotResult;
  "mnist-global-norm-clipping": import("./mnist-global-norm-clipping.ts").MnistGlobalNormClippingResult;
  "mnist-bn-elu-he": import("./mnist-bn-elu-he.ts").MnistBnEluHeResult;
  "mnist-relu-sgd-momentum": import("./mnist-relu-sgd-momentum.ts").MnistReluSgdMomentumResult;
  "init-variance": import("./init-variance.ts").InitVarianceResult;
}
export type ExperimentName = keyof ResultByExperiment;
