/**
 * Claims as JUnit XML, for CI systems that show test reports (GitHub Actions reporters,
 * GitLab, Jenkins): one <testsuite> per experiment, one <testcase> per claim. Over seeds a
 * supported claim passes, a refuted one is a <failure>, and an inconclusive one is
 * <skipped> with the reason: not decided either way, so it neither fails the build nor
 * counts as passed, and the message says how many seeds held and what the interval was. For
 * one seed, a claim that held passes and one that failed is a <failure>. Written with
 * xmlbuilder2 (escaping is its job, not ours).
 */
import { create } from "xmlbuilder2";
import { type Claim, formatClaim, fmt } from "../experiments/mod.ts";
import type { SeedsResult } from "./seeds-schema.ts";

interface JUnitCase {
  name: string;
  outcome: "passed" | "failure" | "skipped";
  /** the failure's type: "refuted" over seeds, "failed" on one seed */
  type?: string;
  message: string;
  text: string;
}

interface JUnitSuite {
  name: string;
  classname: string;
  properties: Record<string, string>;
  cases: JUnitCase[];
}

function junitXml(suite: JUnitSuite): string {
  const count = (o: JUnitCase["outcome"]) => String(suite.cases.filter((c) => c.outcome === o).length);
  const totals = { tests: String(suite.cases.length), failures: count("failure"), errors: "0", skipped: count("skipped") };
  const doc = create({ version: "1.0", encoding: "UTF-8" });
  const s = doc.ele("testsuites", { name: "gradlab", ...totals }).ele("testsuite", { name: suite.name, ...totals });
  const props = s.ele("properties");
  for (const [name, value] of Object.entries(suite.properties)) props.ele("property", { name, value });
  for (const c of suite.cases) {
    const tc = s.ele("testcase", { name: c.name, classname: suite.classname });
    if (c.outcome === "failure") tc.ele("failure", { message: c.message, type: c.type ?? "failed" }).txt(c.text);
    else if (c.outcome === "skipped") tc.ele("skipped", { message: c.message });
    tc.ele("system-out").txt(c.text);
  }
  return doc.end({ prettyPrint: true }) + "\n";
}

/**
 * JUnit XML of a multi-seed result: supported passes, refuted fails, inconclusive is skipped.
 *
 * @example
 * await writeOutput(flags.junit, seedsJUnit(result, "E1 fashion-sigmoid-vs-relu/quick"), stdout);
 */
export function seedsJUnit(r: SeedsResult, suiteName: string): string {
  const interval = (c: SeedsResult["claims"][number]) => `95% Clopper–Pearson interval [${c.interval.lower.toFixed(3)}, ${c.interval.upper.toFixed(3)}]`;
  return junitXml({
    name: suiteName,
    classname: `gradlab.${r.experiment}.${r.profile}`,
    properties: { rule: r.rule.text, seeds: r.seeds.join(" "), backend: `${r.backend.name} (${r.backend.device})`, commit: r.code.commit },
    cases: r.claims.map((c, i) => {
      const where = c.verdict === "supported" ? "above" : c.verdict === "refuted" ? "below" : "across";
      const margins = r.perSeed.map((s) => `seed ${s.seed}: ${s.claims[i]!.held ? "held" : "failed"}, margin ${s.claims[i]!.margin === null ? "−∞" : fmt(s.claims[i]!.margin!)}`);
      return {
        name: c.id,
        outcome: c.verdict === "supported" ? "passed" : c.verdict === "refuted" ? "failure" : "skipped",
        type: "refuted",
        message: `${c.verdict}: held on ${c.held} of ${c.seeds} seeds, ${interval(c)} ${where} 1/2`,
        text: [c.statement, `check: ${c.check}`, ...margins].join("\n"),
      };
    }),
  });
}

/**
 * JUnit XML of one seed's claims: held passes, failed fails.
 *
 * @example
 * claimsJUnit(result.claims, "E1 fashion-sigmoid-vs-relu/quick", "gradlab.fashion-sigmoid-vs-relu.quick", { seed: "0" });
 */
export function claimsJUnit(claims: Claim[], suiteName: string, classname: string, properties: Record<string, string>): string {
  return junitXml({
    name: suiteName,
    classname,
    properties,
    cases: claims.map((c) => ({
      name: c.id,
      outcome: c.held ? "passed" : "failure",
      message: formatClaim(c),
      text: [c.statement, `check: ${c.check}`, ...(c.detail ? [c.detail] : [])].join("\n"),
    })),
  });
}
