/**
 * The report page: one self-contained HTML file (inline SVG and CSS, no script, no
 * requests), readable top to bottom: what ran where, the claims, the properties, then
 * each experiment's figures with captions saying what to notice.
 */
import { fmt } from "../experiments/mod.ts";
import type { BuiltReport } from "./build.ts";
import type { RenderedFigure } from "./figure.ts";
import { htmlDocument } from "./page-style.ts";
import { escapeXml as esc } from "./render-svg.ts";
import type { ExperimentEntry, PropertiesEntry, Report, ReportClaim, Section } from "./report-schema.ts";
import { formatProblem } from "./source.ts";

/**
 * The whole page as one HTML string.
 *
 * @example
 * writeFileSync("report/index.html", reportHtml(await buildReport(inputs)));
 */
export function reportHtml({ report, figures }: BuiltReport): string {
  const byId = new Map(figures.map((f) => [f.id, f]));
  const body = [
    header(report),
    contents(report),
    claimsSection(report),
    ...report.sections.map((s) => s.id === "properties" ? propertiesSection(s, report.properties) : section(s, report, byId)),
    footer(report),
  ].join("\n");
  return htmlDocument("gradlab report — vanishing and exploding gradients, checked", body);
}

function header(r: Report): string {
  const t = r.tool;
  const e1 = r.experiments.find((e) => e.id === "E1");
  const acc = (run: string) => e1?.finalAccuracies.find((a) => a.run === run)?.test;
  const pct = (x: number | null | undefined) => (x === null || x === undefined ? "–" : `${(100 * x).toFixed(1)}%`);
  const claims = r.totals.claimsHeld + r.totals.claimsFailed;
  const props = r.properties;
  const shown = r.sections.filter((s) => s.status === "ok").length;
  const failed = r.totals.sectionsFailed;
  const absent = r.sections.filter((s) => s.status === "absent").length;
  const tiles = [
    tile("Claims held", claims ? `${r.totals.claimsHeld} of ${claims}` : "–", claims ? `${r.totals.claimsFailed} did not hold` : "no experiment results", false),
    tile(
      "Properties",
      props ? `${r.totals.propertiesPassed} passed` : "not run",
      props ? `${r.totals.propertiesFailed} failed${r.totals.propertiesSkipped ? `, ${r.totals.propertiesSkipped} skipped` : ""} on ${props.perBackend.map((b) => b.backend).join(", ")}` : "see the Properties section",
      r.totals.propertiesFailed > 0,
    ),
    tile("E1 test accuracy", e1 ? `ReLU ${pct(acc("relu"))}` : "–", e1 ? `sigmoid ${pct(acc("sigmoid"))} · ${e1.profile} profile` : "E1 did not run", false),
    tile("Sections", `${shown} shown`, `${failed} failed · ${absent} without data`, failed > 0),
  ].join("");
  const ran = t.backend ? `${esc(t.backend)} <span class="check">(${esc(t.device ?? "")})</span>` : "nothing was run now: rendered from stored results";
  return `<header>
<h1>gradlab report</h1>
<p class="lede">Vanishing and exploding gradients, made checkable: the seed experiments re-run, their claims tested, and the training core's properties checked on every backend.</p>
<dl class="meta">
<dt>generated</dt><dd>${esc(r.generatedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC"))} by <code>${esc(r.command)}</code></dd>
<dt>rendered with</dt><dd>${esc(t.runtime)} ${esc(t.runtimeVersion)} on ${esc(t.platform)} ${esc(t.arch)} · tfjs-core ${esc(t.tfjsVersion)} · vega ${esc(t.vegaVersion)} · vega-lite ${esc(t.vegaLiteVersion)}</dd>
<dt>backend (runs now)</dt><dd>${ran}</dd>
<dt>Fashion-MNIST</dt><dd>${r.fashionMnist.full ? "the full set" : "the embedded subset"}${r.fashionMnist.location ? ` at <code>${esc(r.fashionMnist.location)}</code>` : ""}. ${esc(r.fashionMnist.note)}</dd>
</dl>
<div class="tiles">${tiles}</div>
</header>`;
}

function tile(label: string, value: string, sub: string, bad: boolean): string {
  return `<div class="tile${bad ? " bad" : ""}"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div><div class="sub">${esc(sub)}</div></div>`;
}

function contents(r: Report): string {
  const items = [`<li><a href="#claims">Claims at a glance</a></li>`, ...r.sections.map((s) => `<li><a href="#${esc(s.id)}">${esc(s.title)}</a> ${badge(s.status)}</li>`)];
  return `<nav aria-label="contents"><h3>Contents</h3><ol>${items.join("")}</ol></nav>`;
}

function badge(status: string): string {
  const text = { ok: "shown", absent: "no data", held: "held", failed: "failed", passed: "passed", skipped: "skipped" }[status] ?? status;
  return `<span class="badge ${esc(status)}">${esc(text)}</span>`;
}

function num(x: number | null): string {
  return x === null ? "not finite" : fmt(x);
}

function claimRows(claims: ReportClaim[]): string {
  return claims.map((c) => {
    const m = c.margin;
    const margin = signed(m);
    return `<tr><td>${badge(c.held ? "held" : "failed")}</td>` +
      `<td>${esc(c.statement)}<div class="check">${esc(c.check)}${c.detail ? ` — ${esc(c.detail)}` : ""}</div></td>` +
      `<td class="num">${esc(comparison(c))}</td>` +
      `<td class="num margin ${m !== null && m >= 0 ? "pos" : "neg"}">${esc(margin)}</td></tr>`;
  }).join("\n");
}

const CLAIM_HEAD = `<thead><tr><th>result</th><th>claim (and how it is checked)</th><th class="num">measured vs threshold</th><th class="num">margin</th></tr></thead>`;

function claimsSection(r: Report): string {
  if (r.experiments.length === 0) {
    return `<section id="claims"><h2>Claims at a glance</h2><div class="notice absent">No experiment results, so no claims to check.</div></section>`;
  }
  const rows = r.experiments.map((e) => {
    const held = e.claims.filter((c) => c.held).length;
    const failed = e.claims.filter((c) => !c.held).map((c) =>
      `<div>${badge("failed")} ${esc(c.statement)} <span class="check">(${esc(c.id)}: ${esc(comparison(c))}, margin <span class="margin neg">${esc(signed(c.margin))}</span>)</span></div>`
    ).join("");
    return `<tr><td><a href="#${esc(e.id)}"><strong>${esc(e.id)}</strong></a> ${esc(e.name)}<div class="check">${esc(e.profile)} profile · ${e.origin === "run" ? "run now" : "fixture"}</div></td>` +
      `<td class="num"><strong>${held}</strong> of ${e.claims.length}</td><td>${failed || `<span class="check">every claim held</span>`}</td></tr>`;
  }).join("\n");
  return `<section id="claims"><h2>Claims at a glance</h2>
<p>Each claim of the source documents is turned into a measurement and a threshold; each experiment's section lists its claims in full. The <em>margin</em> is how far on the holding side of the threshold the measurement lies, in the measurement's own units (negative: it failed by that much).</p>
<div class="table-wrap"><table><thead><tr><th>experiment</th><th class="num">held</th><th>claims that did not hold</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

function signed(m: number | null): string {
  if (m === null) return "−∞";
  return m === 0 ? "0" : `${m > 0 ? "+" : "−"}${fmt(Math.abs(m))}`;
}

const COMPARISON: Record<string, string> = { ">": ">", ">=": "≥", "<": "<", "<=": "≤", "==": "=" };

/** "0.53 ≥ 0.5" */
function comparison(c: ReportClaim): string {
  return `${num(c.measured)} ${COMPARISON[c.comparison] ?? c.comparison} ${fmt(c.threshold)}`;
}

function notice(s: Section): string {
  if (s.status === "failed" && s.problem) {
    return `<div class="notice failed" role="alert"><strong>This section failed.</strong> ${esc(formatProblem(s.problem))}${s.figures.length ? " The figures that could be drawn are shown below." : ""}</div>`;
  }
  if (s.status === "absent") return `<div class="notice absent">${esc(s.note || "No data for this section here.")}</div>`;
  return s.note ? `<div class="notice info">${esc(s.note)}</div>` : "";
}

function section(s: Section, r: Report, figures: Map<string, RenderedFigure>): string {
  const e = r.experiments.find((x) => x.id === s.id);
  const parts = [`<section id="${esc(s.id)}"><h2>${esc(s.title)} ${badge(s.status)}</h2>`];
  if (e) parts.push(`<p class="section-meta">${experimentMeta(e, s)}</p>`);
  // An experiment's meta line already says where it came from; E1 adds how to get the full data.
  if (!e || s.status !== "ok") parts.push(notice(s));
  else if (s.id === "E1" && !e.data.full) parts.push(`<div class="notice info">${esc(r.fashionMnist.note)}</div>`);
  for (const id of s.figures) {
    const f = figures.get(id);
    if (f) parts.push(figureHtml(f));
  }
  if (e?.varianceTable) parts.push(varianceTable(e.varianceTable));
  if (e) parts.push(`<h3>Claims</h3><div class="table-wrap"><table>${CLAIM_HEAD}<tbody>${claimRows(e.claims)}</tbody></table></div>`);
  parts.push("</section>");
  return parts.join("\n");
}

function experimentMeta(e: ExperimentEntry, s: Section): string {
  const env = e.environment;
  const where = s.origin === "run" ? "run now" : `from <code>${esc(s.file ?? "a fixture")}</code>`;
  const acc = e.finalAccuracies.filter((a) => a.test !== null)
    .map((a) => `${esc(a.run)} ${(100 * a.test!).toFixed(1)}%`).join(", ");
  return [
    `<strong>${esc(e.title)}</strong>`,
    `${esc(e.profile)} profile, seed ${e.seed}, ${where}`,
    `computed on ${esc(env.backend)} (${esc(env.runtime)} ${esc(env.runtimeVersion)}, tfjs ${esc(env.tfjsVersion)})`,
    `data: ${esc(e.data.name)}, ${e.data.trainRows.toLocaleString("en")} train / ${e.data.testRows.toLocaleString("en")} test rows${e.data.full ? " (full)" : ""}`,
    acc ? `final test accuracy: ${acc}` : "",
  ].filter(Boolean).join(" · ");
}

function varianceTable(rows: NonNullable<ExperimentEntry["varianceTable"]>): string {
  const activations = [...new Set(rows.map((r) => r.activation))];
  const inits = [...new Set(rows.map((r) => r.init))];
  const cell = (a: string, i: string) => {
    const r = rows.find((x) => x.activation === a && x.init === i);
    if (!r) return "<td></td>";
    return `<td class="num">${r.keepsVariance ? `<span class="badge held">kept</span>` : ""}<div>${esc(num(r.forwardRatio))} / ${esc(num(r.backwardRatio))}</div></td>`;
  };
  const body = inits.map((i) => `<tr><td>${esc(i)}</td>${activations.map((a) => cell(a, i)).join("")}</tr>`).join("\n");
  return `<h3>Which pairs keep the variance</h3>
<p class="check">Per-layer ratio of the variances, forward / backward, as a geometric mean over the layers (1 = kept). <span class="badge held">kept</span> marks the pairs inside the band in both directions. Glorot &amp; Bengio (2010), figures 6–7, ask the same question with histograms per layer.</p>
<div class="table-wrap"><table><thead><tr><th>initializer</th>${activations.map((a) => `<th class="num">${esc(a)}</th>`).join("")}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/**
 * A rendered figure as the page shows it: the inline SVG, its caption and a link to its file.
 *
 * @example
 * figureHtml(await renderFigure(e1AccuracyFigure(result)));
 */
export function figureHtml(f: RenderedFigure): string {
  return `<figure id="fig-${esc(f.id)}">${f.svg}<figcaption>${esc(f.caption)} <a href="${esc(f.file)}">SVG</a></figcaption></figure>`;
}

function propertiesSection(s: Section, p: PropertiesEntry | null): string {
  const parts = [`<section id="properties"><h2>${esc(s.title)} ${badge(s.status)}</h2>`];
  if (!p) {
    parts.push(notice(s), "</section>");
    return parts.join("\n");
  }
  parts.push(`<p class="section-meta">${esc(p.profile)} profile, seed ${p.seed}, on ${esc(p.runtime)}${s.file ? `, from <code>${esc(s.file)}</code>` : ", run now"} · repeat with <code>${esc(p.command)}</code></p>`);
  parts.push(notice(s));
  parts.push(`<p>Laws of the training core (activation derivatives, depth bounds, …) checked by fast-check on random inputs, on every backend that works here.</p>`);
  const backendRows = p.perBackend.map((b) =>
    `<tr><td><strong>${esc(b.backend)}</strong><div class="check">${esc(b.device)}</div></td><td class="num">${b.passed}</td><td class="num">${b.failed}</td><td class="num">${b.skipped}</td></tr>`
  ).join("");
  parts.push(`<div class="table-wrap"><table><thead><tr><th>backend</th><th class="num">passed</th><th class="num">failed</th><th class="num">skipped</th></tr></thead><tbody>${backendRows}</tbody></table></div>`);
  if (p.notChecked.length) {
    parts.push(`<p class="check">Not checked: ${p.notChecked.map((b) => `${esc(b.backend)} (${esc(b.reason)})`).join("; ")}.</p>`);
  }
  const backends = p.perBackend.map((b) => b.backend);
  const lawRows = p.laws.map((law) => {
    const cells = backends.map((b) => {
      const r = law.results.find((x) => x.backend === b);
      return `<td>${r ? `${badge(r.status)}<div class="check">${r.runs} inputs</div>` : ""}</td>`;
    }).join("");
    const problems = law.results.filter((r) => r.problem).map((r) =>
      `<div class="check"><strong>${esc(r.backend)}:</strong> ${esc(r.problem!)}${r.replay ? ` — replay: <code>${esc(r.replay)}</code>` : ""}</div>`
    ).join("");
    return `<tr><td><strong>${esc(law.property)}</strong><div class="check">${esc(law.group)}</div></td><td>${esc(law.law)}${problems}</td>${cells}</tr>`;
  }).join("\n");
  parts.push(`<h3>Laws</h3><div class="table-wrap"><table><thead><tr><th>law</th><th>statement</th>${backends.map((b) => `<th>${esc(b)}</th>`).join("")}</tr></thead><tbody>${lawRows}</tbody></table></div>`);
  parts.push("</section>");
  return parts.join("\n");
}

function footer(r: Report): string {
  return `<footer>
<p>Made by <code>gradlab report</code> (<code>npm start</code>). Rerun everything: <code>npm start</code>; the quick profile only: <code>gradlab report --quick</code>; from the committed fixtures without running anything: <code>gradlab report --from-fixtures</code>.
The data behind this page is in <a href="report.json">report.json</a> (schema-checked); a summary for CI is in <a href="summary.md">summary.md</a>; each figure is also a standalone SVG under <code>figures/</code>.</p>
<p>${r.figures.length} figures · ${r.sections.length} sections · generated ${esc(r.generatedAt)}</p>
</footer>`;
}
