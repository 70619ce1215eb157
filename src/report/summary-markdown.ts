/** report/summary.md: the report in a few Markdown tables, fit for a CI job summary. */
import { fmt } from "../experiments/mod.ts";
import type { Report } from "./report-schema.ts";
import { formatProblem } from "./source.ts";

/**
 * The summary: sections that failed, properties per backend, E1's final accuracies and
 * every claim with held/failed and its margin.
 *
 * @example
 * writeFileSync(process.env.GITHUB_STEP_SUMMARY!, summaryMarkdown(report), { flag: "a" });
 */
export function summaryMarkdown(r: Report): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const out: string[] = ["## gradlab report", ""];
  const claims = r.totals.claimsHeld + r.totals.claimsFailed;
  out.push(
    `${r.totals.claimsHeld} of ${claims} claims held · properties ${r.properties ? `${r.totals.propertiesPassed} passed, ${r.totals.propertiesFailed} failed` : "not run"} · ` +
      `${r.figures.length} figures · ${r.totals.sectionsFailed} sections failed`,
    "",
    `Rendered with ${r.tool.runtime} ${r.tool.runtimeVersion}, tfjs-core ${r.tool.tfjsVersion}` +
      `${r.tool.backend ? `; ran on ${r.tool.backend}` : "; nothing ran (stored results)"}. ` +
      `Fashion-MNIST: ${r.fashionMnist.full ? "full set" : "embedded subset"}. ${r.fashionMnist.note}`,
    "",
  );
  const failed = r.sections.filter((s) => s.status === "failed");
  if (failed.length) {
    out.push("### Sections that failed", "");
    for (const s of failed) out.push(`- **${cell(s.title)}**: ${cell(s.problem ? formatProblem(s.problem) : "unknown problem")}`);
    out.push("");
  }
  if (r.properties) {
    out.push("### Properties", "", "| backend | passed | failed | skipped |", "|---|---:|---:|---:|");
    for (const b of r.properties.perBackend) out.push(`| ${b.backend} | ${b.passed} | ${b.failed} | ${b.skipped} |`);
    out.push("");
    const failures = r.properties.laws.flatMap((law) =>
      law.results.filter((x) => x.status === "failed").map((res) =>
        `- ❌ \`${law.property}\` on ${res.backend}: ${cell(res.problem ?? "")}${res.replay ? ` — replay: \`${res.replay}\`` : ""}`
      )
    );
    if (failures.length) out.push(...failures, "");
  }
  const e1 = r.experiments.find((e) => e.id === "E1");
  if (e1) {
    out.push(`### E1 final accuracies (${e1.profile} profile, ${e1.data.trainRows.toLocaleString("en")} train / ${e1.data.testRows.toLocaleString("en")} test rows)`, "", "| activation | train | test |", "|---|---:|---:|");
    const pct = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(1)}%`);
    for (const a of e1.finalAccuracies) out.push(`| ${a.run} | ${pct(a.train)} | ${pct(a.test)} |`);
    out.push("");
  }
  if (r.experiments.length) {
    out.push("### Claims", "", "| | experiment | claim | measured | margin |", "|---|---|---|---:|---:|");
    for (const e of r.experiments) {
      for (const c of e.claims) {
        const measured = `${c.measured === null ? "not finite" : fmt(c.measured)} ${c.comparison} ${fmt(c.threshold)}`;
        const margin = c.margin === null ? "−∞" : `${c.margin >= 0 ? "+" : ""}${fmt(c.margin)}`;
        out.push(`| ${c.held ? "✅" : "❌"} | ${e.id} | ${cell(c.statement)} | ${cell(measured)} | ${margin} |`);
      }
    }
    out.push("");
  }
  return out.join("\n");
}
