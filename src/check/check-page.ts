/**
 * The page of a check (`gradlab check --html DIR`): the verdict and its reasons, then figures
 * drawn with the report's figure code (log axes, theme, Vega-Lite → SVG) and the tables.
 */
import type { TopLevelSpec } from "vega-lite";
import { type Figure, type FigurePage, figurePageFiles, logAxis, logDomain, type PageBlock, type PageFile, type RenderedFigure, renderFigure, short } from "../report/mod.ts";
import type { CheckReport } from "./check-report.ts";

const VERDICT_COLORS = { healthy: "#1a7f37", vanishing: "#4e79a7", exploding: "#c62828" };
const fmt = (v: number | null) => (v === null ? "n/a" : short(v));
const pct = (v: number | null) => (v === null ? "-" : `${short(100 * v)}%`);

/**
 * The figures of a check: mean |∂L/∂W| per layer against the thresholds, variances per block,
 * and (when the net has sigmoid, tanh or ReLU layers) saturated and dead units.
 *
 * @example
 * const figures = checkFigures(report);
 */
export function checkFigures(r: CheckReport): Figure[] {
  const figures = [gradientFigure(r), varianceFigure(r)];
  if (r.layers.some((l) => l.saturatedShare !== null || l.deadShare !== null)) figures.push(unitsFigure(r));
  return figures;
}

function gradientFigure(r: CheckReport): Figure {
  const T = r.thresholds.gradientRatio;
  const kernels = r.layers.filter((l) => l.kernel && l.kernel.meanAbsGradient !== null && l.kernel.meanAbsGradient > 0);
  const rows = kernels.map((l) => ({ layer: `${l.index} ${l.name}`, meanAbs: l.kernel!.meanAbsGradient!, ratio: l.kernel!.ratioToLast, verdict: l.kernel!.verdict }));
  const last = rows[rows.length - 1]?.meanAbs ?? 1;
  const lines = [{ y: last * T.vanishingBelow, text: `vanishing below ${T.vanishingBelow}× the last layer's` }, { y: last * T.explodingAbove, text: `exploding above ${T.explodingAbove}×` }];
  const values = [...rows.map((x) => x.meanAbs), ...lines.map((l) => l.y)];
  const order = rows.map((x) => x.layer);
  const bad = rows.filter((x) => x.verdict !== "healthy");
  return {
    id: "check-gradients",
    section: "gradients",
    title: "Mean |∂L/∂W| per layer, against the last layer's",
    caption: `Mean |∂L/∂W| of each Dense layer's kernel on the batch, log scale; the dashed lines are the thresholds, ${T.vanishingBelow}× and ${T.explodingAbove}× the last layer's. ` +
      (bad.length ? `${bad.map((x) => `layer ${x.layer.split(" ")[0]} is ${x.verdict} (${fmt(x.ratio)}×)`).join(", ")}.` : "Every layer lies between them: healthy."),
    spec: {
      width: 560,
      height: 280,
      layer: [
        {
          data: { values: rows },
          mark: { type: "line", color: "#999", strokeWidth: 1 },
          encoding: { x: { field: "layer", type: "ordinal", sort: order, title: "layer (1 = next to the input)", axis: { labelAngle: 0 } }, y: { field: "meanAbs", type: "quantitative" } },
        },
        {
          data: { values: rows },
          mark: { type: "point", filled: true, size: 90 },
          encoding: {
            x: { field: "layer", type: "ordinal", sort: order },
            y: { field: "meanAbs", type: "quantitative", title: ["mean |∂L/∂W|", "(loss per unit weight, log)"], scale: { type: "log", domain: logDomain(values) }, axis: logAxis(values) },
            color: { field: "verdict", type: "nominal", title: "verdict", scale: { domain: Object.keys(VERDICT_COLORS), range: Object.values(VERDICT_COLORS) } },
            tooltip: [{ field: "layer" }, { field: "meanAbs", format: ".3e" }, { field: "ratio", format: ".3g" }, { field: "verdict" }],
          },
        },
        { data: { values: lines }, mark: { type: "rule", strokeDash: [4, 3], color: "#555" }, encoding: { y: { field: "y", type: "quantitative" } } },
        {
          data: { values: lines },
          mark: { type: "text", align: "left", baseline: "bottom", x: 4, dy: -2, fontSize: 11, color: "#555" },
          encoding: { y: { field: "y", type: "quantitative" }, text: { field: "text" } },
        },
      ],
    } as TopLevelSpec,
  };
}

function varianceFigure(r: CheckReport): Figure {
  const rows = r.blocks.flatMap((b) => [
    { block: b.index, direction: "forward: Var(hₗ)", variance: b.forwardVariance },
    { block: b.index, direction: "backward: Var(∂L/∂hₗ)", variance: b.backwardVariance },
  ]).filter((x): x is { block: number; direction: string; variance: number } => x.variance !== null && x.variance > 0);
  const panel = (direction: string, title: string[]) => {
    const mine = rows.filter((x) => x.direction === direction);
    const values = mine.map((x) => x.variance);
    const colour = direction.startsWith("forward") ? "#4e79a7" : "#e15759";
    return {
      width: 560,
      height: 160,
      data: { values: mine },
      mark: { type: "line" as const, point: { size: 40, color: colour }, color: colour },
      encoding: {
        x: { field: "block", type: "quantitative" as const, title: "block (0 = input, then one per Dense layer)", axis: { tickMinStep: 1, format: "d" } },
        y: { field: "variance", type: "quantitative" as const, title, scale: { type: "log" as const, domain: logDomain(values) }, axis: logAxis(values) },
      },
    };
  };
  const g = r.glorot;
  return {
    id: "check-variance",
    section: "variance",
    title: "Variance layer to layer: forward activations and backward gradients",
    caption: `Top: variance of each block's output (forward). Bottom: variance of the gradient of the loss with respect to it (backward; the top block receives it first). A flat line keeps the Glorot condition; a slope multiplies per layer. ${g.summary}.`,
    spec: {
      vconcat: [panel("forward: Var(hₗ)", ["Var(hₗ), forward", "(log)"]), panel("backward: Var(∂L/∂hₗ)", ["Var(∂L/∂hₗ), backward", "(log)"])],
    },
  };
}

function unitsFigure(r: CheckReport): Figure {
  const rows = r.layers.flatMap((l) => [
    ...(l.saturatedShare === null ? [] : [{ layer: `${l.index} ${l.name}`, what: `saturated ${l.activation} activations`, share: 100 * l.saturatedShare }]),
    ...(l.deadShare === null ? [] : [{ layer: `${l.index} ${l.name}`, what: "dead ReLU units", share: 100 * l.deadShare }]),
  ]);
  const limit = 100 * Math.min(r.thresholds.saturation.shareAbove, r.thresholds.deadRelu.shareAbove);
  const top = rows.reduce((a, x) => (x.share > a.share ? x : a), rows[0]!);
  return {
    id: "check-units",
    section: "units",
    title: "Saturated sigmoid/tanh activations and dead ReLU units per layer",
    caption: `Share of a layer's unit activations in saturation (derivative below ${r.thresholds.saturation.derivativeFraction} of its maximum) and of its ReLU units that output 0 on every row; the dashed line is the ${limit}% above which a note is raised. Largest: ${short(top.share)}% (${top.what}, layer ${top.layer}).`,
    spec: {
      width: 560,
      height: 220,
      layer: [
        {
          data: { values: rows },
          mark: { type: "bar" },
          encoding: {
            x: { field: "layer", type: "ordinal", title: "layer", sort: r.layers.map((l) => `${l.index} ${l.name}`), axis: { labelAngle: 0 } },
            xOffset: { field: "what" },
            y: { field: "share", type: "quantitative", title: "share (%)", scale: { domain: [0, 100] } },
            color: { field: "what", type: "nominal", title: null, scale: { range: ["#e15759", "#4e79a7", "#59a14f"] }, legend: { labelLimit: 400 } },
          },
        },
        { data: { values: [{ y: limit }] }, mark: { type: "rule", strokeDash: [4, 3], color: "#555" }, encoding: { y: { field: "y", type: "quantitative" } } },
      ],
    } as TopLevelSpec,
  };
}

/**
 * The page's content for a report and its rendered figures.
 *
 * @example
 * const page = checkPage(report, await Promise.all(checkFigures(report).map(renderFigure)));
 */
export function checkPage(r: CheckReport, figures: readonly RenderedFigure[]): FigurePage {
  const fig = (section: string): PageBlock[] => figures.filter((f) => f.section === section).map((figure) => ({ kind: "figure", figure }));
  const kernels = r.layers.filter((l) => l.kernel);
  const bad = kernels.filter((l) => l.kernel!.verdict !== "healthy");
  const t = r.thresholds;
  return {
    title: `gradlab check — ${r.model.source}: ${r.verdict}`,
    lede: `Gradient flow in a tfjs-layers model at its current weights, on one batch: per layer mean |∂L/∂W| against the last layer's, variances layer to layer (the Glorot condition), saturated and dead units.`,
    meta: [
      ["model", `${r.model.className} "${r.model.name}", input [${r.model.inputShape.join(", ")}], ${r.model.outputUnits} outputs, ${r.model.parameters.toLocaleString("en")} trainable parameters (${r.model.source})`],
      ["batch", `${r.batch.rows} rows of ${r.batch.source}${r.batch.preprocessing === "none" ? "" : `, ${r.batch.preprocessing}`}; targets: ${r.batch.targets}`],
      ["loss", `${r.loss.name} = ${fmt(r.loss.value)}: ${r.loss.why}`],
      ["mode", r.mode],
      ["computed on", `${r.environment.backend} (${r.environment.runtime} ${r.environment.runtimeVersion ?? ""}, tfjs ${r.environment.tfjsVersion}), seed ${r.batch.seed}`],
    ],
    tiles: [
      { label: "Verdict", value: r.verdict, sub: bad.length ? `${bad.length} of ${kernels.length} layers` : `all ${kernels.length} layers within the thresholds`, bad: r.verdict !== "healthy" },
      { label: "First layer ÷ last", value: `${fmt(kernels[0]?.kernel?.ratioToLast ?? null)}×`, sub: `mean |∂L/∂W|; thresholds ${t.gradientRatio.vanishingBelow}× and ${t.gradientRatio.explodingAbove}×` },
      { label: "Glorot condition", value: r.glorot.forward === null ? "–" : r.glorot.forward === "kept" && r.glorot.backward === "kept" ? "kept" : "not kept", sub: `forward ×${fmt(r.glorot.forwardRatio)}, backward ×${fmt(r.glorot.backwardRatio)} per layer` },
      { label: "Global gradient norm", value: fmt(r.globalGradientNorm), sub: `loss ${fmt(r.loss.value)}` },
    ],
    sections: [
      {
        id: "verdict",
        title: `Verdict: ${r.verdict}`,
        blocks: r.findings.length
          ? r.findings.map((text): PageBlock => ({ kind: "notice", tone: r.verdict === "healthy" ? "info" : "failed", text }))
          : [{ kind: "notice", tone: "info", text: "Every layer's mean |∂L/∂W| lies within the thresholds of the last layer's." }],
      },
      {
        id: "gradients",
        title: "Gradients per layer",
        blocks: [
          ...fig("gradients"),
          {
            kind: "table",
            head: ["layer", "class", "activation", "units", "mean |∂L/∂W|", "÷ last", "verdict", "Var(h)", "Var(∂L/∂h)", "saturated", "dead ReLU", "notes"],
            numeric: [false, false, false, true, true, true, false, true, true, true, true, false],
            rows: r.layers.map((l) => [
              `${l.index} ${l.name}`, l.className, l.activation ?? "-", l.outputShape.join("×"),
              l.kernel ? fmt(l.kernel.meanAbsGradient) : "-", l.kernel ? fmt(l.kernel.ratioToLast) : "-", l.kernel?.verdict ?? "-",
              fmt(l.forwardVariance), fmt(l.backwardVariance), pct(l.saturatedShare), pct(l.deadShare), l.notes.join("; "),
            ]),
          },
          { kind: "paragraph", text: `Global gradient norm √Σ‖g‖² over every trainable weight: ${fmt(r.globalGradientNorm)}.${r.nonFinite.length ? ` Not finite: ${r.nonFinite.join("; ")}.` : ""}` },
        ],
      },
      {
        id: "variance",
        title: "Variance layer to layer (the Glorot condition)",
        blocks: [
          ...fig("variance"),
          {
            kind: "table",
            head: ["block", "layers", "units", "Var(h)", "× forward", "Var(∂L/∂h)", "× backward"],
            numeric: [true, false, true, true, true, true, true],
            rows: r.blocks.map((b) => [String(b.index), b.layers.join(", ") || "input", String(b.units), fmt(b.forwardVariance), fmt(b.forwardRatio), fmt(b.backwardVariance), fmt(b.backwardRatio)]),
          },
          { kind: "paragraph", text: r.glorot.summary + "." },
        ],
      },
      ...(fig("units").length ? [{ id: "units", title: "Saturated and dead units", blocks: fig("units") }] : []),
      {
        id: "thresholds",
        title: "Thresholds",
        blocks: [{
          kind: "table",
          head: ["measure", "threshold", "why"],
          rows: [
            ["mean |∂L/∂W| ÷ the last layer's", `vanishing < ${t.gradientRatio.vanishingBelow}, exploding > ${t.gradientRatio.explodingAbove}`, t.gradientRatio.why],
            ["saturated sigmoid/tanh activations", `derivative < ${t.saturation.derivativeFraction} × max; note above ${pct(t.saturation.shareAbove)}`, t.saturation.why],
            ["dead ReLU units", `note above ${pct(t.deadRelu.shareAbove)}`, t.deadRelu.why],
            ["variance ratio per layer", `kept in [${t.varianceBand.low}, ${t.varianceBand.high}]`, t.varianceBand.why],
          ],
        }],
      },
    ],
    footer: `Made by gradlab check. The numbers behind this page: gradlab check --json FILE (schema-checked). Each figure is also a standalone SVG under figures/.`,
  };
}

/**
 * Renders a report's figures and page: the files of the page directory.
 *
 * @example
 * const files = await checkPageFiles(report);
 */
export async function checkPageFiles(r: CheckReport): Promise<PageFile[]> {
  const figures: RenderedFigure[] = [];
  for (const f of checkFigures(r)) figures.push(await renderFigure(f));
  return figurePageFiles(checkPage(r, figures), figures);
}
