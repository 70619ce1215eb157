/** What `gradlab report` prints at the end: where the report is, and a short table. */
import { fmt } from "../experiments/mod.ts";
import type { Report } from "./report-schema.ts";
import { formatProblem } from "./source.ts";

/**
 * Lines for the terminal: properties per backend, E1's final accuracies, every claim
 * (held or FAILED, with its margin), and the sections that failed or had no data.
 *
 * @example
 * process.stdout.write(consoleSummary(report, "report/index.html"));
 */
export function consoleSummary(r: Report, indexPath: string): string {
  const lines: string[] = [`report: ${indexPath}`, ""];
  if (r.properties) {
    lines.push("properties   passed  failed  skipped");
    for (const b of r.properties.perBackend) {
      lines.push(`  ${b.backend.padEnd(10)} ${String(b.passed).padStart(6)}  ${String(b.failed).padStart(6)}  ${String(b.skipped).padStart(7)}`);
    }
  } else {
    const s = r.sections.find((x) => x.id === "properties");
    lines.push(`properties: ${s?.status === "failed" && s.problem ? `FAILED to read: ${formatProblem(s.problem)}` : s?.note || "not run"}`);
  }
  const e1 = r.experiments.find((e) => e.id === "E1");
  if (e1) {
    const pct = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(1)}%`);
    lines.push("", `E1 (${e1.profile}, ${e1.data.trainRows.toLocaleString("en")} train / ${e1.data.testRows.toLocaleString("en")} test)   train    test`);
    for (const a of e1.finalAccuracies) lines.push(`  ${a.run.padEnd(26)} ${pct(a.train).padStart(7)} ${pct(a.test).padStart(7)}`);
  }
  if (r.experiments.length) {
    lines.push("", `claims: ${r.totals.claimsHeld} of ${r.totals.claimsHeld + r.totals.claimsFailed} held`);
    const width = Math.max(...r.experiments.flatMap((e) => e.claims.map((c) => c.id.length)));
    for (const e of r.experiments) {
      for (const c of e.claims) {
        const margin = c.margin === null ? "−∞" : `${c.margin >= 0 ? "+" : ""}${fmt(c.margin)}`;
        lines.push(`  ${e.id}  ${c.held ? "held  " : "FAILED"}  ${c.id.padEnd(width)}  margin ${margin}`);
      }
    }
  }
  const notShown = r.sections.filter((s) => s.status !== "ok");
  if (notShown.length) {
    lines.push("");
    for (const s of notShown) {
      lines.push(s.status === "failed" && s.problem ? `section ${s.id} FAILED: ${formatProblem(s.problem)}` : `section ${s.id}: no data (${s.note})`);
    }
  }
  return lines.join("\n") + "\n";
}
