/** Multi-seed results for people: the rule once, then per claim k of N, its interval, margins, verdict. */
import { fmt, type RunSummary } from "../experiments/mod.ts";
import { fiveNumbers } from "../statistics/mod.ts";
import type { SeedsResult, SeedSummary } from "./seeds-schema.ts";

const signed = (x: number | null) => (x === null ? "−∞" : `${x > 0 ? "+" : ""}${fmt(x)}`);

/** The rule, as printed once with every judgement. */
export function formatRule(rule: SeedsResult["rule"]): string {
  return `verdict rule: ${rule.text}; at least ${rule.fewestSeeds} seeds before either`;
}

/**
 * One line per seed as it finishes: its claims held and its runs' final test accuracy.
 *
 * @example
 * formatSeedLine(summary, 12.3); // "seed 3: 5/5 claims held (12.3 s); test acc sigmoid 0.85, relu 0.87"
 */
export function formatSeedLine(s: SeedSummary, seconds: number): string {
  const held = s.claims.filter((c) => c.held).length;
  const failed = s.claims.filter((c) => !c.held).map((c) => c.id);
  const acc = (s.runs ?? []).filter((r) => r.finalTestAccuracy !== undefined).map((r) => `${r.name} ${fmt(r.finalTestAccuracy!)}`);
  return `seed ${s.seed}: ${held}/${s.claims.length} claims held${failed.length ? ` (failed: ${failed.join(", ")})` : ""}, ${seconds} s` +
    (acc.length ? `; test acc ${acc.join(", ")}` : "");
}

/** Per run, the median and quartiles over seeds of its final test accuracy (or loss), when recorded. */
function runLines(perSeed: SeedSummary[]): string[] {
  const byName = new Map<string, RunSummary[]>();
  for (const s of perSeed) for (const r of s.runs ?? []) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  return [...byName].map(([name, runs]) => {
    const acc = runs.map((r) => r.finalTestAccuracy).filter((x): x is number => x !== undefined && Number.isFinite(x));
    const loss = runs.map((r) => r.finalLossMean).filter(Number.isFinite);
    const [what, values] = acc.length === runs.length ? ["test acc", acc] : ["final loss", loss];
    if (!values.length) return `  ${name}: no finite final metric`;
    const f = fiveNumbers(values);
    return `  ${name}: ${what} median ${fmt(f.median)} [${fmt(f.q1)}, ${fmt(f.q3)}], range ${fmt(f.min)}..${fmt(f.max)}`;
  });
}

/**
 * The table printed after a multi-seed run (and a merge).
 *
 * @example
 * stdout.write(formatSeedsResult(result) + "\n");
 */
export function formatSeedsResult(r: SeedsResult, title: string): string {
  const lines = [title, formatRule(r.rule), `runs over ${r.perSeed.length} seeds (final metric: median [q1, q3], range):`, ...runLines(r.perSeed)];
  const rows = r.claims.map((c) => [
    c.id,
    `${c.held} of ${c.seeds}`,
    `[${c.interval.lower.toFixed(3)}, ${c.interval.upper.toFixed(3)}]`,
    `${signed(c.margins.median)} [${signed(c.margins.q1)}, ${signed(c.margins.q3)}]`,
    c.verdict === "inconclusive" ? "inconclusive" : c.verdict.toUpperCase(),
  ]);
  const head = ["claim", "held", "95% interval", "margin median [q1, q3]", "verdict"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => "  " + cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  lines.push("claims:", line(head), ...rows.map(line));
  const count = (v: string) => r.claims.filter((c) => c.verdict === v).length;
  lines.push(`verdicts: ${count("supported")} supported, ${count("refuted")} refuted, ${count("inconclusive")} inconclusive`);
  return lines.join("\n");
}
