/**
 * The source experiments E1–E6: experiment files in the repository's experiments/ directory,
 * read and checked when this module loads.
 */
import { join } from "node:path";
import { packagePath } from "../package/mod.ts";
import type { Experiment } from "./experiment.ts";
import { type ExperimentConfig, experimentFromDefinition, type ExperimentResult, readExperimentFile } from "./experiment-file.ts";

/** The experiments/ directory of the repository or the installed package. */
export const EXPERIMENTS_DIR = packagePath("experiments");

/** E1…E6 by file name, in order. */
const BUILTIN_FILES = [
  "fashion-sigmoid-vs-relu.json",
  "lesson-glorot.json",
  "mnist-global-norm-clipping.json",
  "mnist-bn-elu-he.json",
  "mnist-relu-sgd-momentum.json",
  "init-variance.json",
] as const;

/** Every source experiment, in E1…E6 order. */
export const EXPERIMENTS: readonly Experiment<ExperimentConfig, ExperimentResult>[] = BUILTIN_FILES.map((f) => {
  const path = join(EXPERIMENTS_DIR, f);
  return experimentFromDefinition(readExperimentFile(path), path);
});
