import { test } from "uvu";
import * as assert from "uvu/assert";
import { seedsResultOf } from "../../seeds/mod.ts";
import { SYNTHETIC_CLAIMS, syntheticIdentity, syntheticProvenance, syntheticSeed } from "../../seeds/testing.ts";
import { renderFigure } from "../figure.ts";
import { buildReport } from "../build.ts";
import { validateReport } from "../report-schema.ts";
import { countMarks, syntheticE1Result, syntheticPropertyReport } from "../testing.ts";
import { seedsHoldRateFigure, seedsMarginsFigure } from "./claims-over-seeds.ts";

// 8 seeds: the first claim holds on all (supported), the second on none (refuted); seed 3's second measurement was not finite
const seeds = [0, 1, 2, 3, 4, 5, 6, 7];
const perSeed = seeds.map((s) => syntheticSeed(s, [0.1 + s / 100, s === 3 ? null : -0.2 - s / 10]));
const result = seedsResultOf(syntheticIdentity(seeds), SYNTHETIC_CLAIMS, perSeed, syntheticProvenance("test"));

test("hold rate: a dot and an interval per claim, coloured by verdict, the rule's ½ drawn, the verdicts counted in the caption", async () => {
  const f = seedsHoldRateFigure(result, "E1");
  assert.is(f.id, "e1-seeds-hold-rate");
  assert.match(f.caption, /1 supported, 0 inconclusive, 1 refuted/);
  assert.match(f.caption, /Clopper–Pearson/);
  const r = await renderFigure(f);
  for (const c of SYNTHETIC_CLAIMS) assert.ok(r.svg.includes(`>${c.id}</text>`), c.id);
  assert.ok(r.svg.includes(">8 of 8</text>") && r.svg.includes(">0 of 8</text>"));
  assert.ok(r.svg.includes(">hold rate (95% interval)</text>"));
  // 1 line at ½ + 2 intervals + 2 dots (text marks are not counted)
  assert.is(countMarks(r.svg), 5);
});

test("margins: a dot per finite seed margin, a box and range per claim, the line at 0; the non-finite one is said, not drawn", async () => {
  const f = seedsMarginsFigure(result, "E4");
  assert.is(f.id, "e4-seeds-margins");
  assert.match(f.caption, /1 measurements were not finite/);
  const r = await renderFigure(f);
  // per claim: the 0 line, the range, the box, the median tick; then 8 + 7 seed dots
  assert.is(countMarks(r.svg), 2 * 4 + 15);
  assert.ok(r.svg.includes(">margin</text>"));
});

test("the report draws them in the experiment's section; a multi-seed file that does not check out fails that section, naming it", async () => {
  const base = {
    properties: { status: "ok", value: syntheticPropertyReport(), origin: "file", file: "props.json", profile: "ci" },
    experiments: { "fashion-sigmoid-vs-relu": { status: "ok", value: syntheticE1Result(), origin: "run", file: null, profile: "quick" } },
    fashionMnist: { full: false, location: null, note: "" },
    command: "test",
    backend: null,
  } as const;
  const ok = await buildReport({ ...base, seeds: { "fashion-sigmoid-vs-relu": { status: "ok", value: result, origin: "fixture", file: "fixtures/x/full.seeds.json", profile: "full" } } });
  const e1 = ok.report.sections.find((s) => s.id === "E1")!;
  assert.is(e1.status, "ok");
  assert.ok(e1.figures.includes("e1-seeds-hold-rate") && e1.figures.includes("e1-seeds-margins"), e1.figures.join(", "));
  assert.match(e1.note, /claims over 8 seeds from fixtures\/x\/full\.seeds\.json/);
  validateReport(ok.report); // throws naming the field when report.json would not match its schema
  const problem = { file: "fixtures/x/full.seeds.json", field: null, message: "claims are not what the per-seed summaries give" };
  const bad = await buildReport({ ...base, seeds: { "fashion-sigmoid-vs-relu": { status: "failed", problem } } });
  const failed = bad.report.sections.find((s) => s.id === "E1")!;
  assert.is(failed.status, "failed");
  assert.equal(failed.problem, problem);
});

test.run();
