/** Reading E1's two runs (sigmoid, relu) out of its result, for the E1 figures. */
import type { FashionSigmoidVsReluResult } from "../../experiments/mod.ts";

export type E1Result = Pick<FashionSigmoidVsReluResult, "series" | "profile">;
export type E1Run = FashionSigmoidVsReluResult["series"]["runs"][number];

/** The kernels of a run in layer order: index into parameterNames, and a label with the shape. */
export function kernelsOf(run: { result: { parameterNames: readonly string[]; parameterShapes: readonly number[][] } }): { index: number; layer: number; label: string }[] {
  const r = run.result;
  return r.parameterNames
    .map((name, index) => ({ name, index }))
    .filter((p) => p.name.endsWith("/kernel"))
    .map((p, i) => {
      const [fanIn, fanOut] = r.parameterShapes[p.index] ?? [];
      return { index: p.index, layer: i + 1, label: `layer ${i + 1} (${fanIn}→${fanOut})` };
    });
}

/** Mean over the recorded iterations of mean |∂L/∂W| per kernel, layer 1 first. */
export function kernelMeans(run: E1Run): number[] {
  const steps = run.result.steps;
  return kernelsOf(run).map((k) => steps.reduce((s, step) => s + step.meanAbs[k.index]!, 0) / steps.length);
}

/** "3.2×10⁻³"-style short numbers for captions. */
export function short(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 0.01 || a >= 1e4)) return x.toExponential(1);
  return String(Number(x.toPrecision(3)));
}
