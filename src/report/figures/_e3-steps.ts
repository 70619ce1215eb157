/** E3's recorded steps and clipping norm, for the E3 figures. */
import { type MnistGlobalNormClippingResult, trainRunsOf } from "../../experiments/mod.ts";

export type E3Result = Pick<MnistGlobalNormClippingResult, "series" | "config" | "profile">;

/** The global-norm limit of E3's run (15 in the seed). */
export function clipLimit(result: E3Result): number {
  const clipping = trainRunsOf(result.config)[0]?.training.clipping;
  return clipping && clipping.name === "globalNorm" ? clipping.maxNorm : 15;
}

/** The steps of E3's one run. */
export function stepsOf(result: E3Result): MnistGlobalNormClippingResult["series"]["runs"][number]["result"]["steps"] {
  return result.series.runs[0]?.result.steps ?? [];
}

/** "w1", "b1", … from "dense1/kernel", "dense1/bias", as the seed names them. */
export function tensorLabel(name: string): string {
  const m = /^dense(\d+)\/(kernel|bias)$/.exec(name);
  return m ? `${m[2] === "kernel" ? "w" : "b"}${m[1]}` : name;
}
