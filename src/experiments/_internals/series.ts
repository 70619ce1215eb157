/** Reading numbers out of a TrainResult for claims: per-parameter gradient statistics over recorded steps. */
import type { TrainResult } from "../../core/mod.ts";

/** Index of a parameter by name (e.g. "dense1/kernel"); throws when absent. */
export function parameterIndex(result: TrainResult, name: string): number {
  const i = result.parameterNames.indexOf(name);
  if (i < 0) throw new Error(`no parameter ${name} (have ${result.parameterNames.join(", ")})`);
  return i;
}

/** Names of the kernels (weight matrices, not biases), in layer order. */
export function kernelNames(result: TrainResult): string[] {
  return result.parameterNames.filter((n) => n.endsWith("/kernel"));
}

/** Arithmetic mean; NaN for an empty list. */
export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

/** Median; NaN for an empty list. */
export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Mean over the recorded steps (optionally only those passing `where`) of one statistic of
 * one parameter's gradient.
 */
export function meanOverSteps(
  result: TrainResult,
  parameter: string,
  stat: "meanAbs" | "l2" = "meanAbs",
  where: (step: TrainResult["steps"][number]) => boolean = () => true,
): number {
  const i = parameterIndex(result, parameter);
  return mean(result.steps.filter(where).map((s) => s[stat][i]));
}

/** Per-kernel mean |∂L/∂W| averaged over the recorded steps (optionally filtered), in layer order. */
export function kernelMeanAbs(result: TrainResult, where?: (step: TrainResult["steps"][number]) => boolean): number[] {
  return kernelNames(result).map((n) => meanOverSteps(result, n, "meanAbs", where));
}

/** The last epoch's metrics; throws for a run without epochs. */
export function lastEpoch(result: TrainResult): TrainResult["epochs"][number] {
  const e = result.epochs[result.epochs.length - 1];
  if (!e) throw new Error("the run has no epochs");
  return e;
}

/** A field of an epoch's metrics that must be present. */
export function metric(e: TrainResult["epochs"][number], key: "trainAccuracy" | "trainEvalAccuracy" | "testAccuracy" | "trainLoss" | "testLoss"): number {
  const v = e[key];
  if (v === undefined) throw new Error(`epoch ${e.epoch} has no ${key}`);
  return v;
}
