/**
 * An experiment's claims judged over seeds (a multi-seed result, src/seeds): per claim the
 * hold rate with its 95% Clopper–Pearson interval against the ½ the verdict rule compares
 * it with, and the margins of every seed with their quartiles (as stored: type 7).
 */
import type { SeedsResult } from "../../seeds/mod.ts";
import type { Figure } from "../figure.ts";

const VERDICT_COLORS = { domain: ["supported", "inconclusive", "refuted"], range: ["#59a14f", "#bab0ac", "#e15759"] };

/** The smallest finite value, or null when there is none. */
function finiteMin(values: (number | null)[]): number | null {
  const finite = values.filter((v): v is number => v !== null);
  return finite.length ? Math.min(...finite) : null;
}

function counts(r: SeedsResult): string {
  const n = (v: string) => r.claims.filter((c) => c.verdict === v).length;
  return `${n("supported")} supported, ${n("inconclusive")} inconclusive, ${n("refuted")} refuted`;
}

/**
 * The hold rate of each claim over the seeds, with its interval; the dashed line is ½.
 *
 * @example
 * const figure = seedsHoldRateFigure(readSeedsResult("fixtures/fashion-sigmoid-vs-relu/full.seeds.json"), "E1");
 */
export function seedsHoldRateFigure(r: SeedsResult, section: string): Figure {
  const rows = r.claims.map((c) => ({
    claim: c.id,
    rate: c.rate,
    lower: c.interval.lower,
    upper: c.interval.upper,
    verdict: c.verdict,
    label: `${c.held} of ${c.seeds}`,
  }));
  const y = { field: "claim", type: "nominal", title: null, sort: null, axis: { labelLimit: 320 } } as const;
  return {
    id: `${section.toLowerCase()}-seeds-hold-rate`,
    section,
    title: `${section} · How often each claim held over ${r.seeds.length} seeds`,
    caption: `Each dot is the share of seeds on which the claim held, the bar its 95% Clopper–Pearson interval. ` +
      `Verdict rule: ${r.rule.text}. Here: ${counts(r)}.`,
    spec: {
      width: 520,
      height: { step: 28 },
      data: { values: rows },
      layer: [
        // one line, not one per row: the layer's data aggregated to a single row
        { transform: [{ aggregate: [{ op: "count", as: "claims" }] }], mark: { type: "rule", strokeDash: [4, 4], color: "#888" }, encoding: { x: { datum: 0.5, type: "quantitative" } } },
        {
          mark: { type: "rule", strokeWidth: 3 },
          encoding: {
            y,
            x: { field: "lower", type: "quantitative", title: "hold rate (95% interval)", scale: { domain: [0, 1] } },
            x2: { field: "upper" },
            color: { field: "verdict", type: "nominal", title: "verdict", scale: VERDICT_COLORS },
          },
        },
        {
          mark: { type: "point", filled: true, size: 70 },
          encoding: {
            y,
            x: { field: "rate", type: "quantitative" },
            color: { field: "verdict", type: "nominal", scale: VERDICT_COLORS },
            tooltip: [{ field: "claim" }, { field: "label", title: "held" }, { field: "lower", format: ".3f" }, { field: "upper", format: ".3f" }, { field: "verdict" }],
          },
        },
        { mark: { type: "text", align: "left", dx: 6, dy: -9, fontSize: 10 }, encoding: { y, x: { field: "rate", type: "quantitative" }, text: { field: "label" } } },
      ],
    },
  };
}

/**
 * Each claim's margin on every seed (dots; a claim's own scale), its quartile box and range
 * from the stored five numbers; the line is 0, where held turns to failed.
 *
 * @example
 * const figure = seedsMarginsFigure(result, "E4");
 */
export function seedsMarginsFigure(r: SeedsResult, section: string): Figure {
  const rows = [
    // where the smallest margin is −∞ (stored as null) the range starts at the smallest finite one
    ...r.claims.map((c, i) => ({ kind: "summary", claim: c.id, ...c.margins, min: c.margins.min ?? finiteMin(r.perSeed.map((s) => s.claims[i]!.margin)) })),
    ...r.perSeed.flatMap((s) => s.claims.filter((c) => c.margin !== null).map((c) => ({ kind: "seed", claim: c.id, seed: s.seed, margin: c.margin, held: c.held ? "held" : "failed" }))),
  ];
  const notFinite = r.perSeed.reduce((n, s) => n + s.claims.filter((c) => c.margin === null).length, 0);
  const summary = { filter: "datum.kind === 'summary'" };
  return {
    id: `${section.toLowerCase()}-seeds-margins`,
    section,
    title: `${section} · Each claim's margin on every seed`,
    caption: `A dot per seed (negative: the claim failed by that much), the box from the first to the third quartile with the median, ` +
      `the line the range; each claim has its own scale.` + (notFinite ? ` ${notFinite} measurements were not finite (−∞) and are not drawn.` : ""),
    spec: {
      data: { values: rows },
      facet: { row: { field: "claim", type: "nominal", title: null, sort: r.claims.map((c) => c.id), header: { labelAngle: 0, labelAlign: "left" } } },
      spec: {
        width: 460,
        height: 26,
        layer: [
          { transform: [summary], mark: { type: "rule", color: "#888", strokeDash: [4, 4] }, encoding: { x: { datum: 0, type: "quantitative" } } },
          { transform: [summary], mark: { type: "rule", color: "#555" }, encoding: { x: { field: "min", type: "quantitative", title: "margin" }, x2: { field: "max" } } },
          { transform: [summary], mark: { type: "bar", height: 12, color: "#c6dbef", stroke: "#4e79a7" }, encoding: { x: { field: "q1", type: "quantitative" }, x2: { field: "q3" } } },
          { transform: [summary], mark: { type: "tick", color: "#1f3b5a", thickness: 2, size: 16 }, encoding: { x: { field: "median", type: "quantitative" } } },
          {
            transform: [{ filter: "datum.kind === 'seed'" }],
            mark: { type: "point", filled: true, size: 28, opacity: 0.8 },
            encoding: {
              x: { field: "margin", type: "quantitative" },
              color: { field: "held", type: "nominal", title: "on that seed", scale: { domain: ["held", "failed"], range: ["#4e79a7", "#e15759"] } },
              tooltip: [{ field: "claim" }, { field: "seed" }, { field: "margin", format: ".4g" }],
            },
          },
        ],
      },
      resolve: { scale: { x: "independent" } },
    },
  };
}
