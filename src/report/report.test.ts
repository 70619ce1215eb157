import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { claim } from "../experiments/mod.ts";
import { buildReport, type ReportInputs } from "./build.ts";
import { consoleSummary } from "./console-summary.ts";
import { validateReport } from "./report-schema.ts";
import { syntheticE1Result, syntheticPropertyReport } from "./testing.ts";
import { writeReport } from "./write.ts";

const e1 = syntheticE1Result();
e1.claims.push(claim({ id: "not-finite", statement: "a measurement that came out NaN", check: "x < 1", measured: NaN, comparison: "<", threshold: 1 }));
const inputs: ReportInputs = {
  properties: { status: "ok", value: syntheticPropertyReport(), origin: "file", file: "props.json", profile: "ci" },
  experiments: {
    "fashion-sigmoid-vs-relu": { status: "ok", value: e1, origin: "run", file: null, profile: "quick" },
    "init-variance": { status: "failed", problem: { file: "fixtures/init-variance/quick.json", field: "/series/pairs/3/forwardRatio", message: "/series/pairs/3/forwardRatio must be number" } },
  },
  fashionMnist: { full: false, location: null, note: "The full set is not installed here." },
  command: "gradlab report --test",
  backend: { name: "cpu", device: "JavaScript, main thread" },
  now: new Date("2020-01-02T03:04:05Z"),
};
const built = await buildReport(inputs);
const dir = mkdtempSync(join(tmpdir(), "gradlab-report-"));
// An earlier report in dir that drew a figure this one does not (stale.svg), beside files it did not make.
await writeReport(dir, built);
const earlier = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
earlier.figures.push({ ...earlier.figures[0], id: "stale", file: "figures/stale.svg" });
writeFileSync(join(dir, "report.json"), JSON.stringify(earlier));
writeFileSync(join(dir, "figures", "stale.svg"), "<svg/>");
writeFileSync(join(dir, "figures", "mine.svg"), "<svg>someone else's</svg>");
writeFileSync(join(dir, "notes.txt"), "kept");
const index = await writeReport(dir, built, { properties: syntheticPropertyReport() });
const html = readFileSync(index, "utf8");

test("sections: shown with their figures, failed with file and field, absent with a note", () => {
  const status = Object.fromEntries(built.report.sections.map((s) => [s.id, s.status]));
  assert.equal(status, { properties: "ok", E1: "ok", E2: "absent", E3: "absent", E4: "absent", E5: "absent", E6: "failed", derivatives: "ok" });
  const e1Section = built.report.sections.find((s) => s.id === "E1")!;
  assert.equal(e1Section.figures, ["e1-accuracy", "e1-gradients", "e1-layer-summary"]);
  assert.is(built.report.sections.find((s) => s.id === "E6")!.problem!.field, "/series/pairs/3/forwardRatio");
  assert.equal(built.figures.map((f) => f.id), ["e1-accuracy", "e1-gradients", "e1-layer-summary", "activation-derivatives"]);
});

test("report.json: schema-valid, with totals, per-backend properties, E1's final accuracies and provenance", () => {
  const json = validateReport(JSON.parse(readFileSync(join(dir, "report.json"), "utf8")));
  assert.equal(json.totals, { claimsHeld: 5, claimsFailed: 1, propertiesPassed: 3, propertiesFailed: 1, propertiesSkipped: 0, sectionsFailed: 1 });
  assert.equal(json.properties!.perBackend.map((b) => [b.backend, b.passed, b.failed]), [["cpu", 2, 0], ["wasm", 1, 1]]);
  assert.equal(json.experiments[0]!.finalAccuracies.map((a) => a.run), ["sigmoid", "relu"]);
  assert.is(json.tool.backend, "cpu");
  assert.is(json.generatedAt, "2020-01-02T03:04:05.000Z");
  const nan = json.experiments[0]!.claims.find((c) => c.id === "not-finite")!;
  assert.is(nan.measured, null, "NaN is stored as null");
  assert.is(nan.held, false);
  assert.throws(() => validateReport({ ...json, totals: { ...json.totals, claimsHeld: -1 } }), /\/totals\/claimsHeld/);
});

test("index.html: one self-contained page, no script, nothing fetched; every figure inline with its caption", () => {
  assert.not.match(html, /<script/i);
  assert.not.match(html, /\b(src|href)="(https?:)?\/\//, "no links to elsewhere that a browser would load");
  assert.not.match(html, /url\((?!#)/, "CSS and SVG urls are local references only");
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'/);
  for (const f of built.figures) {
    assert.ok(html.includes(`<figure id="fig-${f.id}"><svg`), f.id);
    assert.ok(existsSync(join(dir, f.file)), f.file);
    assert.match(readFileSync(join(dir, f.file), "utf8"), /^<\?xml[^>]*>\n<svg /);
  }
  assert.match(html, /This section failed\.<\/strong> fixtures\/init-variance\/quick\.json, field \/series\/pairs\/3\/forwardRatio/);
  assert.match(html, /not finite/);
  assert.match(html, /bun|deno/);
  assert.not.ok(existsSync(join(dir, "figures", "stale.svg")), "SVGs an earlier report drew and this one does not are removed");
  assert.is(readFileSync(join(dir, "figures", "mine.svg"), "utf8"), "<svg>someone else's</svg>", "SVGs no report made are kept");
  assert.is(readFileSync(join(dir, "notes.txt"), "utf8"), "kept", "files the report did not make are kept");
  assert.equal(JSON.parse(readFileSync(join(dir, "properties.json"), "utf8")), syntheticPropertyReport(), "the property report shown is saved beside it");
  assert.match(readFileSync(join(dir, "properties.md"), "utf8"), /sigmoid-derivative/);
});

test("summary.md and the terminal table: properties per backend, E1 accuracies, claims with margins, failed sections", () => {
  const md = readFileSync(join(dir, "summary.md"), "utf8");
  assert.match(md, /^## gradlab report/);
  assert.match(md, /\| cpu \| 2 \| 0 \| 0 \|/);
  assert.match(md, /\| wasm \| 1 \| 1 \| 0 \|/);
  assert.match(md, /❌ `sigmoid-derivative` on wasm: σ'\(3\.5\) = 0\.3 > 0\.25 on \[3\.5\] — replay: `gradlab props --backend wasm/);
  assert.match(md, /\| relu \| 79\.0% \| 81\.0% \|/);
  assert.match(md, /\| ✅ \| E1 \| the ReLU model reaches higher accuracy than the sigmoid model \| 0\.53 > 0 \| \+0\.53 \|/);
  assert.match(md, /- \*\*E6 · Variance per layer at initialization\*\*: fixtures\/init-variance\/quick\.json, field \/series\/pairs\/3\/forwardRatio/);
  const text = consoleSummary(built.report, "report/index.html");
  assert.match(text, /^report: report\/index\.html/);
  assert.match(text, /wasm +1 +1 +0/);
  assert.match(text, /relu +79\.0% +81\.0%/);
  assert.match(text, /E1 {2}FAILED {2}not-finite/);
  assert.match(text, /section E6 FAILED: fixtures\/init-variance\/quick\.json, field \/series\/pairs\/3\/forwardRatio/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
