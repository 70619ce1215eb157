/**
 * From sources to a report: every section's figures rendered to SVG, the claims, the
 * property results and the provenance, as the plain data of report.json.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as vega from "vega";
import * as vl from "vega-lite";
import type { PropertyReport } from "../../properties/mod.ts";
import { runtimeInfo } from "../backend/mod.ts";
import { type Claim, experimentNamed, type ResultBase, type Run, type RunSummary } from "../experiments/mod.ts";
import { type Figure, type RenderedFigure, renderFigure } from "./figure.ts";
import type { ExperimentEntry, PropertiesEntry, Report, ReportClaim, Section } from "./report-schema.ts";
import type { MeasuredDerivatives } from "./figures/activation-derivatives.ts";
import { derivativeFigures, EXPERIMENT_SECTIONS } from "./sections.ts";
import { seedsHoldRateFigure, seedsMarginsFigure } from "./figures/claims-over-seeds.ts";
import type { SeedsResult } from "../seeds/mod.ts";
import { problemOf, type Source } from "./source.ts";

/** Everything a report is made from. */
export interface ReportInputs {
  properties: Source<PropertyReport>;
  /** by experiment name (fashion-sigmoid-vs-relu, …); a missing name counts as absent */
  experiments: Record<string, Source<ResultBase>>;
  /** multi-seed results by experiment name, where there are any (drawn in the experiment's section) */
  seeds?: Record<string, Source<SeedsResult>>;
  fashionMnist: Report["fashionMnist"];
  /** the command that made the report */
  command: string;
  /** the backend used for what ran now, when something ran */
  backend: { name: string; device: string } | null;
  /** fixed time for reproducible output in tests (default: now) */
  now?: Date;
}

/** A report: its data (report.json) and its rendered figures. */
export interface BuiltReport {
  report: Report;
  figures: RenderedFigure[];
}

/**
 * Builds the report: renders every figure whose data is there, turns broken sources and
 * figures that cannot be drawn into failed sections, and collects claims and properties.
 *
 * @example
 * const built = await buildReport({ properties, experiments: { "fashion-sigmoid-vs-relu": e1 }, … });
 * writeReport("report", built);
 */
export async function buildReport(inputs: ReportInputs): Promise<BuiltReport> {
  const sections: Section[] = [];
  const figures: RenderedFigure[] = [];
  const experiments: ExperimentEntry[] = [];

  sections.push(propertiesSection(inputs.properties));

  for (const def of EXPERIMENT_SECTIONS) {
    const source: Source<ResultBase> = inputs.experiments[def.experiment] ??
      { status: "absent", note: `no result for ${def.experiment} here` };
    const title = `${def.id} · ${def.heading}`;
    if (source.status !== "ok") {
      sections.push(emptySection(def.id, title, source));
      continue;
    }
    const drawn = await drawAll(def.figures.map((f) => () => f(source.value)), source.file);
    const seeds = inputs.seeds?.[def.experiment];
    if (seeds?.status === "ok") {
      const over = await drawAll([seedsHoldRateFigure, seedsMarginsFigure].map((f) => () => f(seeds.value, def.id)), seeds.file);
      drawn.figures.push(...over.figures);
      drawn.problem ??= over.problem;
    } else if (seeds?.status === "failed") {
      drawn.problem ??= seeds.problem;
    }
    figures.push(...drawn.figures);
    experiments.push(experimentEntry(def.id, source.value, source.origin === "run" ? "run" : "fixture"));
    sections.push({
      id: def.id,
      title,
      status: drawn.problem ? "failed" : "ok",
      origin: source.origin,
      file: source.file,
      profile: source.value.profile,
      note: [source.note ?? "", seeds?.status === "ok" ? `claims over ${seeds.value.seeds.length} seeds from ${seeds.file ?? "a multi-seed run"}` : ""].filter(Boolean).join("; "),
      problem: drawn.problem,
      figures: drawn.figures.map((f) => f.id),
    });
  }

  const e2 = inputs.experiments["lesson-glorot"];
  // E2's activation-derivatives run, whatever its name, and the grid it measured on
  const run = e2?.status === "ok" ? (e2.value.config as { runs?: Run[] }).runs?.find((r): r is Extract<Run, { kind: "activation-derivatives" }> => r.kind === "activation-derivatives") : undefined;
  const measured = e2?.status === "ok" && run ? (e2.value.series as Record<string, MeasuredDerivatives | undefined>)[run.name] : undefined;
  const drawn = await drawAll([() => derivativeFigures(measured, run?.grid)[0]!], null);
  figures.push(...drawn.figures);
  sections.push({
    id: "derivatives",
    title: "Why sigmoids vanish: the derivative bound",
    status: drawn.problem ? "failed" : "ok",
    origin: "computed",
    file: null,
    profile: null,
    note: measured ? "curves from the formulas; the maxima measured by tfjs autodiff in E2" : "curves from the formulas",
    problem: drawn.problem,
    figures: drawn.figures.map((f) => f.id),
  });

  const properties = inputs.properties.status === "ok" ? propertiesEntry(inputs.properties.value) : null;
  const claims = experiments.flatMap((e) => e.claims);
  const count = (s: "passed" | "failed" | "skipped") => properties?.perBackend.reduce((n, b) => n + b[s], 0) ?? 0;
  const runtime = runtimeInfo();
  const report: Report = {
    schemaVersion: 1,
    generatedAt: (inputs.now ?? new Date()).toISOString(),
    command: inputs.command,
    tool: {
      runtime: runtime.runtime,
      runtimeVersion: runtime.runtimeVersion,
      platform: runtime.platform,
      arch: runtime.arch,
      tfjsVersion: tf.version_core,
      vegaVersion: vega.version,
      vegaLiteVersion: vl.version,
      backend: inputs.backend?.name ?? null,
      device: inputs.backend?.device ?? null,
    },
    fashionMnist: inputs.fashionMnist,
    sections,
    properties,
    experiments,
    figures: figures.map(({ id, section, title, caption, file }) => ({ id, section, title, caption, file })),
    totals: {
      claimsHeld: claims.filter((c) => c.held).length,
      claimsFailed: claims.filter((c) => !c.held).length,
      propertiesPassed: count("passed"),
      propertiesFailed: count("failed"),
      propertiesSkipped: count("skipped"),
      sectionsFailed: sections.filter((s) => s.status === "failed").length,
    },
  };
  return { report, figures };
}

/** Draws and renders figures; the first one that fails makes the problem (the others still render). */
async function drawAll(builders: (() => Figure)[], file: string | null): Promise<{ figures: RenderedFigure[]; problem: Section["problem"] }> {
  const figures: RenderedFigure[] = [];
  let problem: Section["problem"] = null;
  for (const build of builders) {
    let figure: Figure | undefined;
    try {
      figure = build();
      figures.push(await renderFigure(figure));
    } catch (error) {
      const p = problemOf(error, file);
      problem ??= { ...p, message: `figure ${figure?.id ?? "?"} could not be drawn: ${p.message}` };
    }
  }
  return { figures, problem };
}

function emptySection(id: string, title: string, source: Exclude<Source<unknown>, { status: "ok" }>): Section {
  return {
    id,
    title,
    status: source.status,
    origin: null,
    file: source.status === "failed" ? source.problem.file : null,
    profile: null,
    note: source.note ?? "",
    problem: source.status === "failed" ? source.problem : null,
    figures: [],
  };
}

function propertiesSection(source: Source<PropertyReport>): Section {
  if (source.status !== "ok") return emptySection("properties", "Properties of the training core", source);
  return {
    id: "properties",
    title: "Properties of the training core",
    status: "ok",
    origin: source.origin,
    file: source.file,
    profile: source.value.profile,
    note: source.note ?? "",
    problem: null,
    figures: [],
  };
}

/** A number JSON can hold, or null. */
function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function reportClaim(c: Claim): ReportClaim {
  const out: ReportClaim = { ...c, measured: finite(c.measured), margin: finite(c.margin) };
  if (c.detail === undefined) delete out.detail;
  return out;
}

function experimentEntry(id: string, r: ResultBase, origin: "run" | "fixture"): ExperimentEntry {
  const e = experimentNamed(r.experiment);
  const runs = ((r.summary as { runs?: RunSummary[] } | null)?.runs ?? []).filter((s) => s.finalTestAccuracy !== undefined || s.finalTrainAccuracy !== undefined);
  const env = r.environment;
  const table = (r.summary as { table?: { activation: string; init: string; forwardRatio: number; backwardRatio: number; keepsVariance: boolean }[] } | null)?.table;
  const entry: ExperimentEntry = {
    id,
    name: r.experiment,
    title: e.title,
    profile: r.profile,
    origin,
    seed: r.config.seed,
    environment: { backend: env.backend, device: env.device, runtime: env.runtime, runtimeVersion: env.runtimeVersion, tfjsVersion: env.tfjsVersion },
    data: {
      name: r.data.source.name,
      description: r.data.source.description,
      full: r.data.full,
      trainRows: r.data.trainRows,
      testRows: r.data.testRows,
    },
    finalAccuracies: runs.map((s) => ({ run: s.name, train: finiteOrNull(s.finalTrainAccuracy), test: finiteOrNull(s.finalTestAccuracy) })),
    claims: r.claims.map(reportClaim),
  };
  if (table) entry.varianceTable = table.map((t) => ({ ...t, forwardRatio: finite(t.forwardRatio), backwardRatio: finite(t.backwardRatio) }));
  return entry;
}

function finiteOrNull(x: number | undefined): number | null {
  return x === undefined ? null : finite(x);
}

function propertiesEntry(p: PropertyReport): PropertiesEntry {
  const checked = p.backends.filter((b) => b.checked);
  const byLaw = new Map<string, PropertiesEntry["laws"][number]>();
  for (const r of p.results) {
    let law = byLaw.get(r.property);
    if (!law) byLaw.set(r.property, law = { property: r.property, group: r.group, law: r.law, results: [] });
    law.results.push({
      backend: r.backend,
      status: r.status,
      runs: r.runs,
      problem: r.counterexample ? `${r.counterexample.error} on ${r.counterexample.value}` : r.error,
      replay: r.counterexample?.replay ?? null,
    });
  }
  const tally = (backend: string, status: string) => p.results.filter((r) => r.backend === backend && r.status === status).length;
  return {
    seed: p.seed,
    profile: p.profile,
    command: p.command,
    runtime: `${p.runtime.runtime} ${p.runtime.runtimeVersion}, tfjs ${p.runtime.tfjsVersion}, ${p.runtime.platform} ${p.runtime.arch}`,
    perBackend: checked.map((b) => ({ backend: b.name, device: b.device, passed: tally(b.name, "passed"), failed: tally(b.name, "failed"), skipped: tally(b.name, "skipped") })),
    notChecked: p.backends.filter((b) => !b.checked).map((b) => ({ backend: b.name, reason: b.reason })),
    laws: [...byLaw.values()],
  };
}
