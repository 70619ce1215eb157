/**
 * The property report as JUnit XML, for CI systems: one test suite per backend, one test case
 * per law, a <failure> with the counterexample and the replay command.
 */
import type { PropertyReport } from "./report-schema.ts";

/** Escapes text for XML attributes and content. */
function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}

const secs = (ms: number) => (ms / 1000).toFixed(3);

/**
 * JUnit XML for a report.
 *
 * @example
 * writeFileSync("report/properties.xml", renderJunit(report));
 */
export function renderJunit(report: PropertyReport): string {
  const s = report.summary;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="gradlab properties" tests="${s.total}" failures="${s.failed}" skipped="${s.skipped}" time="${secs(s.timeMs)}">`,
  ];
  const backends = [...new Set(report.results.map((r) => r.backend))];
  for (const backend of backends) {
    const results = report.results.filter((r) => r.backend === backend);
    const failed = results.filter((r) => r.status === "failed").length;
    const skipped = results.filter((r) => r.status === "skipped").length;
    const time = results.reduce((t, r) => t + r.timeMs, 0);
    lines.push(
      `  <testsuite name="properties on ${xml(backend)}" tests="${results.length}" failures="${failed}" skipped="${skipped}" time="${secs(time)}" timestamp="${xml(report.generatedAt)}">`,
      "    <properties>",
      `      <property name="seed" value="${report.seed}"/>`,
      `      <property name="profile" value="${report.profile}"/>`,
      `      <property name="runtime" value="${xml(`${report.runtime.runtime} ${report.runtime.runtimeVersion}`)}"/>`,
      `      <property name="command" value="${xml(report.command)}"/>`,
      "    </properties>",
    );
    for (const r of results) {
      const open = `    <testcase classname="properties.${xml(r.group)}" name="${xml(r.property)} [${xml(backend)}]" time="${secs(r.timeMs)}"`;
      if (r.status === "passed") {
        lines.push(`${open}/>`);
      } else if (r.status === "skipped") {
        lines.push(`${open}>`, `      <skipped message="${xml(r.error ?? "skipped")}"/>`, "    </testcase>");
      } else {
        const message = r.counterexample?.error ?? r.error ?? "failed";
        const body = [
          `law: ${r.law}`,
          ...(r.counterexample
            ? [`counterexample (shrunk ${r.counterexample.shrinks}×): ${r.counterexample.value}`, `replay: ${r.counterexample.replay}`]
            : []),
          ...(r.error ? [r.error] : []),
        ].join("\n");
        lines.push(`${open}>`, `      <failure message="${xml(message)}" type="PropertyFailure">${xml(body)}</failure>`, "    </testcase>");
      }
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return lines.join("\n") + "\n";
}
