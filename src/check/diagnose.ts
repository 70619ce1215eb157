/** Verdicts from measurements: the thresholds of thresholds.ts applied, every reason in words. */
import { short } from "../report/mod.ts";
import type { FlowMeasurement } from "./check-model.ts";
import type { CheckReport, CheckVerdict, LayerReport } from "./check-report.ts";
import type { ChainLayer } from "./layer-chain.ts";
import { CHECK_THRESHOLDS as T } from "./thresholds.ts";

type Header = Omit<CheckReport, "layers" | "blocks" | "glorot" | "globalGradientNorm" | "nonFinite" | "verdict" | "findings">;

/** A measured number as the report holds it: null when not finite. */
const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

function band(ratio: number | null): "kept" | "shrinks" | "grows" | null {
  if (ratio === null) return null;
  return ratio < T.varianceBand.low ? "shrinks" : ratio > T.varianceBand.high ? "grows" : "kept";
}

/** The verdict of a kernel from its ratio to the last layer's. */
export function kernelVerdict(meanAbs: number, ratio: number): CheckVerdict {
  if (!Number.isFinite(meanAbs) || Number.isNaN(ratio) || ratio > T.gradientRatio.explodingAbove) return "exploding";
  return ratio < T.gradientRatio.vanishingBelow ? "vanishing" : "healthy";
}

/**
 * The report: the header as given, per-layer and per-block numbers, the Glorot summary, the
 * verdict and its reasons.
 */
export function diagnose(m: FlowMeasurement, chain: readonly ChainLayer[], header: Header): CheckReport {
  const nonFinite: string[] = [];
  const note = (what: string, v: number) => {
    if (!Number.isFinite(v)) nonFinite.push(`${what} is ${Number.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf"}`);
  };
  note("the loss", m.loss);
  const kernels = m.layers.flatMap((l, i) => l.weights.filter((w) => w.kernel).map((w) => ({ layer: i, w })));
  const last = kernels[kernels.length - 1]?.w.meanAbsGradient ?? NaN;
  const findings: string[] = [];
  let block = 0;
  const layers: LayerReport[] = chain.map((c, i) => {
    const l = m.layers[i]!;
    if (c.dense) block++;
    const where = `layer ${c.index} ${c.name}`;
    note(`the output of ${where}`, l.forwardVariance);
    note(`∂L/∂(output) of ${where}`, l.backwardVariance);
    for (const w of l.weights) note(`the gradient of ${w.name}`, w.meanAbsGradient);
    const k = l.weights.find((w) => w.kernel);
    let kernel: LayerReport["kernel"] = null;
    const notes: string[] = [];
    if (k) {
      const ratio = last === 0 ? (k.meanAbsGradient === 0 ? 0 : Infinity) : k.meanAbsGradient / last;
      const verdict = kernelVerdict(k.meanAbsGradient, ratio);
      kernel = { meanAbsGradient: finite(k.meanAbsGradient), ratioToLast: finite(ratio), verdict };
      if (verdict === "vanishing") {
        findings.push(`${where}: mean |∂L/∂W| ${short(k.meanAbsGradient)} is ${short(ratio)}× the last layer's, below ${T.gradientRatio.vanishingBelow}: vanishing`);
      } else if (verdict === "exploding") {
        findings.push(`${where}: mean |∂L/∂W| ${short(k.meanAbsGradient)} is ${Number.isFinite(ratio) ? `${short(ratio)}× the last layer's, above ${T.gradientRatio.explodingAbove}` : "not finite"}: exploding`);
      }
    } else if (c.dense) {
      notes.push("its kernel is not trainable (frozen): no gradient to measure");
    }
    if (l.saturatedShare !== null && l.saturatedShare > T.saturation.shareAbove) {
      notes.push(`${pct(l.saturatedShare)} of its ${c.activation} activations are saturated (above ${pct(T.saturation.shareAbove)})`);
    }
    if (l.deadShare !== null && l.deadShare > T.deadRelu.shareAbove) notes.push(`${pct(l.deadShare)} of its ReLU units are dead on this batch (above ${pct(T.deadRelu.shareAbove)})`);
    for (const n of notes) findings.push(`${where}: ${n}`);
    return {
      index: c.index,
      name: c.name,
      className: c.className,
      activation: c.activation,
      block,
      outputShape: (c.layer.outputShape as (number | null)[]).slice(1),
      forwardMean: finite(l.forwardMean),
      forwardVariance: finite(l.forwardVariance),
      backwardVariance: finite(l.backwardVariance),
      saturatedShare: l.saturatedShare === null ? null : finite(l.saturatedShare),
      deadShare: l.deadShare === null ? null : finite(l.deadShare),
      weights: l.weights.map((w) => ({ name: w.name, shape: w.shape, meanAbsGradient: finite(w.meanAbsGradient), gradientL2: finite(w.gradientL2) })),
      kernel,
      notes,
    };
  });

  const blocks = blockReports(m, layers);
  const glorot = glorotSummary(blocks);
  if (glorot.forward !== null && glorot.forward !== "kept" || glorot.backward !== null && glorot.backward !== "kept") findings.push(glorot.summary);
  const squares = m.layers.flatMap((l) => l.weights.map((w) => w.gradientL2 ** 2));
  const globalNorm = Math.sqrt(squares.reduce((a, b) => a + b, 0));
  const verdicts = layers.flatMap((l) => (l.kernel ? [l.kernel.verdict] : []));
  const verdict: CheckVerdict = nonFinite.length || verdicts.includes("exploding") ? "exploding" : verdicts.includes("vanishing") ? "vanishing" : "healthy";
  if (nonFinite.length) findings.unshift(`not finite: ${nonFinite.slice(0, 3).join("; ")}${nonFinite.length > 3 ? `; and ${nonFinite.length - 3} more` : ""}: exploding`);
  return {
    ...header,
    loss: { ...header.loss, value: finite(m.loss) },
    layers,
    blocks,
    glorot,
    globalGradientNorm: finite(globalNorm),
    nonFinite,
    verdict,
    findings,
  };
}

function pct(x: number): string {
  return `${short(100 * x)}%`;
}

function blockReports(m: FlowMeasurement, layers: readonly LayerReport[]): CheckReport["blocks"] {
  const count = Math.max(...layers.map((l) => l.block));
  const blocks: CheckReport["blocks"] = [];
  for (let b = 0; b <= count; b++) {
    const mine = layers.filter((l) => l.block === b);
    const out = mine[mine.length - 1];
    const forward = out ? m.layers[out.index - 1]!.forwardVariance : m.input.forwardVariance;
    const backward = out ? m.layers[out.index - 1]!.backwardVariance : m.input.backwardVariance;
    const units = out ? (out.outputShape as number[]).reduce((a, c) => a * c, 1) : m.inputFeatures;
    const prev = blocks[b - 1];
    blocks.push({
      index: b,
      layers: mine.map((l) => l.name),
      units,
      forwardVariance: finite(forward),
      backwardVariance: finite(backward),
      forwardRatio: prev ? ratio(forward, prev.forwardVariance) : null,
      backwardRatio: prev ? ratio(prev.backwardVariance, backward) : null,
    });
  }
  return blocks;
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : finite(a / b);
}

function glorotSummary(blocks: CheckReport["blocks"]): CheckReport["glorot"] {
  const hidden = blocks.slice(1, -1);
  const H = hidden.length;
  if (H < 2) {
    return { hiddenBlocks: H, forwardRatio: null, backwardRatio: null, forward: null, backward: null, summary: `Glorot condition not measured: ${H} hidden Dense block${H === 1 ? "" : "s"}, it takes 2` };
  }
  const first = hidden[0]!, lastHidden = hidden[H - 1]!;
  const gm = (a: number | null, b: number | null) => (a === null || b === null ? null : finite((a / b) ** (1 / (H - 1))));
  const forwardRatio = gm(lastHidden.forwardVariance, first.forwardVariance);
  const backwardRatio = gm(first.backwardVariance, lastHidden.backwardVariance);
  const forward = band(forwardRatio), backward = band(backwardRatio);
  const words = (name: string, r: number | null, d: string | null) => `${name} ${r === null ? "not finite" : `×${short(r)} per layer`}${d ? ` (${d})` : ""}`;
  return {
    hiddenBlocks: H,
    forwardRatio,
    backwardRatio,
    forward,
    backward,
    summary: `Glorot condition over the ${H} hidden blocks: activation variance ${words("forward", forwardRatio, forward)}, gradient variance ${words("backward", backwardRatio, backward)}; kept: within [${T.varianceBand.low}, ${T.varianceBand.high}] per layer`,
  };
}
