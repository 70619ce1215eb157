/**
 * The property report for people: a Markdown summary (a table of laws × backends, the
 * failures with their counterexamples and replay commands, each law with its tolerance).
 */
import type { PropertyReport, PropertyResult } from "./report-schema.ts";

const MARK: Record<PropertyResult["status"], string> = { passed: "✓", failed: "✗", skipped: "–" };

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Pipes and newlines would break a table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/**
 * What went wrong with one result, in a few lines: the law, the error, the shrunk
 * counterexample and the command that replays it.
 *
 * @example
 * if (result.status === "failed") console.error(describeResult(result));
 */
export function describeResult(r: PropertyResult): string {
  const head = `${r.property} on ${r.backend}: ${r.status} after ${r.runs} of ${r.runsRequested} runs (seed ${r.seed})`;
  if (r.status === "passed") return head;
  const lines = [head, `  law: ${r.law}`];
  if (r.counterexample) {
    lines.push(
      `  error: ${r.counterexample.error}`,
      `  counterexample (shrunk ${r.counterexample.shrinks}×): ${r.counterexample.value}`,
      `  replay: ${r.counterexample.replay}`,
    );
  }
  if (r.error) lines.push(`  ${r.error}`);
  return lines.join("\n");
}

/**
 * The Markdown summary of a report.
 *
 * @example
 * writeFileSync("report/properties.md", renderMarkdown(report));
 */
export function renderMarkdown(report: PropertyReport): string {
  const backends = report.backends.filter((b) => b.checked).map((b) => b.name);
  const laws = [...new Map(report.results.map((r) => [r.property, r])).values()];
  const s = report.summary;
  const out = [
    "# Property report",
    "",
    `${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ""} in ${seconds(s.timeMs)} · seed ${report.seed} · ` +
    `profile ${report.profile}${report.runs ? ` · ${report.runs} runs each` : ""}${report.filter ? ` · filter \`${report.filter}\`` : ""} · ` +
    `${report.runtime.runtime} ${report.runtime.runtimeVersion}, tfjs ${report.runtime.tfjsVersion}, ${report.runtime.platform} ${report.runtime.arch} · ${report.generatedAt}`,
    "",
    `Repeat with \`${report.command}\`.`,
    "",
    "Backends:",
    ...report.backends.map((b) => `- **${b.name}**: ${b.checked ? `checked — ${b.device}` : `not checked — ${b.reason}`}`),
    "",
    `| law | group | ${backends.join(" | ")} |`,
    `|---|---|${backends.map(() => "---|").join("")}`,
  ];
  for (const law of laws) {
    const cells = backends.map((b) => {
      const r = report.results.find((x) => x.property === law.property && x.backend === b);
      return r ? `${MARK[r.status]} ${r.runs} runs, ${seconds(r.timeMs)}` : "";
    });
    out.push(`| ${law.property} | ${law.group} | ${cells.join(" | ")} |`);
  }
  const failures = report.results.filter((r) => r.status === "failed");
  if (failures.length) {
    out.push("", "## Failures");
    for (const r of failures) {
      out.push("", `### ${r.property} on ${r.backend}`, "", `Law: ${r.law}`, "");
      if (r.counterexample) {
        out.push(
          `- error: ${r.counterexample.error}`,
          `- counterexample (shrunk ${r.counterexample.shrinks}×, path \`${r.counterexample.path}\`):`,
          "",
          "```",
          r.counterexample.value.length > 4000 ? r.counterexample.value.slice(0, 4000) + " …" : r.counterexample.value,
          "```",
          "",
          `- replay: \`${r.counterexample.replay}\``,
        );
      }
      if (r.error) out.push(`- ${r.error}`);
    }
  }
  out.push("", "## Laws and their tolerances", "");
  for (const law of laws) {
    out.push(`- **${law.property}** (${law.group}) — ${law.law}`, `  - tolerance: ${cell(law.tolerance.rule)}`);
    for (const b of backends) {
      const r = report.results.find((x) => x.property === law.property && x.backend === b);
      const values = r ? Object.entries(r.tolerance.values).map(([k, v]) => `${k} = ${Number(v.toPrecision(4))}`).join(", ") : "";
      if (values) out.push(`  - ${b}: ${values}`);
    }
  }
  return out.join("\n") + "\n";
}
