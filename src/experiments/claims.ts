/**
 * Claims: a seed's statement turned into a check over a result. Every claim records what
 * was measured, the threshold, the comparison and the signed margin (how far on the holding
 * side of the threshold the measurement is; negative = it failed by that much), so a
 * reader sees not only held/failed but by how much.
 */
import type { FromSchema } from "json-schema-to-ts";

export const claimSchema = {
  $id: "gradlab/claim",
  type: "object",
  properties: {
    id: { type: "string", description: "short stable name, e.g. relu-beats-sigmoid-final" },
    statement: { type: "string", description: "the source's claim in words" },
    check: { type: "string", description: "what is measured and how it is compared" },
    measured: { type: "number" },
    comparison: { enum: [">", ">=", "<", "<=", "=="] },
    threshold: { type: "number" },
    held: { type: "boolean" },
    margin: {
      type: "number",
      description: "measured − threshold for > and >=, threshold − measured for < and <=, −|measured − threshold| for ==",
    },
    detail: { type: "string", description: "the numbers behind the measurement, for people" },
  },
  required: ["id", "statement", "check", "measured", "comparison", "threshold", "held", "margin"],
  additionalProperties: false,
} as const;
export type Claim = FromSchema<typeof claimSchema>;

export type Comparison = Claim["comparison"];

/** What an experiment states about a claim; `claim()` adds held and margin. */
export interface ClaimInput {
  id: string;
  statement: string;
  check: string;
  measured: number;
  comparison: Comparison;
  threshold: number;
  detail?: string;
}

/**
 * Evaluates a claim: held and the signed margin follow from measured, comparison, threshold.
 * A non-finite measurement never holds.
 *
 * @example
 * claim({ id: "relu-wins", statement: "ReLU beats sigmoid", check: "acc(relu) − acc(sigmoid)",
 *         measured: 0.04, comparison: ">", threshold: 0 }); // held: true, margin: 0.04
 */
export function claim(input: ClaimInput): Claim {
  const { measured: m, threshold: t, comparison } = input;
  let margin: number;
  let held: boolean;
  switch (comparison) {
    case ">": margin = m - t; held = m > t; break;
    case ">=": margin = m - t; held = m >= t; break;
    case "<": margin = t - m; held = m < t; break;
    case "<=": margin = t - m; held = m <= t; break;
    case "==": margin = -Math.abs(m - t); held = m === t; break;
  }
  if (!Number.isFinite(m)) {
    held = false;
    margin = -Infinity;
  }
  const out: Claim = { id: input.id, statement: input.statement, check: input.check, measured: m, comparison, threshold: t, held, margin };
  if (input.detail !== undefined) out.detail = input.detail;
  return out;
}

/**
 * One line for people: "held   relu-wins  measured 0.04 > 0 (margin +0.04)".
 *
 * @example
 * formatClaim(c); // "held   relu-wins: 0.04 > 0, margin +0.04"
 */
export function formatClaim(c: Claim): string {
  const sign = c.margin >= 0 ? "+" : "";
  return `${c.held ? "held  " : "FAILED"} ${c.id}: ${fmt(c.measured)} ${c.comparison} ${fmt(c.threshold)}, margin ${sign}${fmt(c.margin)}`;
}

/** A number in 4 significant digits, without trailing noise. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? String(Number(x.toPrecision(4))) : x.toExponential(3);
}

/**
 * A measured value (one number or a vector) for people, each number by `fmt`.
 *
 * @example
 * fmtValue([0.25, 1e-7]); // "0.25, 1.000e-7"
 */
export function fmtValue(v: number | readonly number[]): string {
  return typeof v === "number" ? fmt(v) : v.map(fmt).join(", ");
}
