/** The report as text for a terminal: what was measured, per-layer and per-block tables, the verdict and its reasons, the thresholds. */
import { short } from "../report/mod.ts";
import type { CheckReport } from "./check-report.ts";

const num = (v: number | null, digits?: number) => (v === null ? "n/a" : digits === undefined ? short(v) : v.toFixed(digits));
const pct = (v: number | null) => (v === null ? "-" : `${short(100 * v)}%`);

/** Left-aligned columns, the first row a header. */
function table(rows: string[][], right: boolean[] = []): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (right[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ").trimEnd());
}

/** Wraps `text` at `width` columns, every line after the first indented by `indent`. */
function wrap(text: string, width: number, indent: string): string {
  const lead = /^ */.exec(text)![0];
  const out: string[] = [];
  let line = lead;
  for (const word of text.slice(lead.length).split(" ")) {
    if (line.trim() && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent + word;
    } else line = line.trim() ? `${line} ${word}` : line + word;
  }
  out.push(line);
  return out.join("\n");
}

/**
 * The report as lines of text.
 *
 * @example
 * process.stdout.write(checkText(await checkModel(model, { seed: 7 })));
 */
export function checkText(r: CheckReport): string {
  const m = r.model;
  const lines = [
    `gradlab check ${m.source}: ${r.verdict.toUpperCase()}`,
    `model: ${m.className} "${m.name}", input [${m.inputShape.join(", ")}], ${m.outputUnits} output${m.outputUnits === 1 ? "" : "s"}, ${m.parameters.toLocaleString("en")} trainable parameters`,
    `batch: ${r.batch.rows} rows of ${r.batch.source}${r.batch.preprocessing === "none" ? "" : `, ${r.batch.preprocessing}`}; targets: ${r.batch.targets}`,
    wrap(`loss: ${r.loss.name} = ${num(r.loss.value)} (${r.loss.why})`, 100, "  "),
    wrap(`mode: ${r.mode}`, 100, "  "),
    `computed on ${r.environment.backend} (${r.environment.runtime} ${r.environment.runtimeVersion ?? ""}, tfjs ${r.environment.tfjsVersion}); seed ${r.batch.seed}`,
    "",
    ...table([
      ["layer", "class", "activation", "units", "mean|∂L/∂W|", "÷ last", "verdict", "Var(h)", "Var(∂L/∂h)", "saturated", "dead ReLU"],
      ...r.layers.map((l) => [
        `${l.index} ${l.name}`,
        l.className,
        l.activation ?? "-",
        l.outputShape.join("×"),
        l.kernel ? num(l.kernel.meanAbsGradient) : "-",
        l.kernel ? num(l.kernel.ratioToLast) : "-",
        l.kernel?.verdict ?? "-",
        num(l.forwardVariance),
        num(l.backwardVariance),
        pct(l.saturatedShare),
        pct(l.deadShare),
      ]),
    ], [false, false, false, true, true, true, false, true, true, true, true]),
    "",
    "blocks (a Dense layer and the layers after it; 0 = the input): variances and their ratios layer to layer",
    ...table([
      ["block", "layers", "units", "Var(h)", "× forward", "Var(∂L/∂h)", "× backward"],
      ...r.blocks.map((b) => [String(b.index), b.layers.join(", ") || "input", String(b.units), num(b.forwardVariance), num(b.forwardRatio), num(b.backwardVariance), num(b.backwardRatio)]),
    ], [true, false, true, true, true, true, true]),
    wrap(r.glorot.summary, 100, "  "),
    `global gradient norm √Σ‖g‖²: ${num(r.globalGradientNorm)}`,
    "",
    `verdict: ${r.verdict}`,
    ...(r.findings.length ? r.findings.map((f) => wrap(`  - ${f}`, 100, "    ")) : ["  - every layer's mean |∂L/∂W| is within the thresholds of the last layer's"]),
    "",
    "thresholds:",
    wrap(`  - gradient ratio to the last layer: vanishing below ${r.thresholds.gradientRatio.vanishingBelow}, exploding above ${r.thresholds.gradientRatio.explodingAbove}. ${r.thresholds.gradientRatio.why}`, 100, "    "),
    wrap(`  - saturation: derivative below ${r.thresholds.saturation.derivativeFraction} of its maximum; noted above ${pct(r.thresholds.saturation.shareAbove)}. ${r.thresholds.saturation.why}`, 100, "    "),
    wrap(`  - dead ReLU: noted above ${pct(r.thresholds.deadRelu.shareAbove)} of a layer's units. ${r.thresholds.deadRelu.why}`, 100, "    "),
    wrap(`  - variance ratio per layer kept in [${r.thresholds.varianceBand.low}, ${r.thresholds.varianceBand.high}]. ${r.thresholds.varianceBand.why}`, 100, "    "),
  ];
  return lines.join("\n") + "\n";
}
