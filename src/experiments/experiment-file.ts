/**
 * From an experiment file (definition.ts) to a runnable `Experiment`: read and check it (the
 * schema, then every profile's runs and every claim's measure against them, before anything
 * trains), resolve a profile's config, run it, and judge its claims.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import { schemaErrorLine } from "../core/mod.ts";
import { type DataSpec, dataSeedOf, dataSpecSchema, loadDataSpec } from "../data/mod.ts";
import { claim, type Claim, fmtValue } from "./claims.ts";
import {
  bodyOf,
  type ExperimentBody,
  type ExperimentDefinition,
  experimentSchema,
  type Run,
  runsOf,
  type TrainRun,
} from "./definition.ts";
import type { ConfigBase, Experiment, ResultBase, RunContext } from "./experiment.ts";
import { runActivationDerivatives } from "./kinds/activation-derivatives.ts";
import { runGlorotCheck } from "./kinds/glorot-check.ts";
import { MEASUREMENT_KINDS, type MeasurementKind } from "./kinds/mod.ts";
import { type PairMeasurement, runVariancePairs, variancePairsSummary, variancePairsSummarySchema } from "./kinds/variance-pairs.ts";
import { checkExpr, evaluate, type MeasureContext, scalarOf, type Value } from "./measure.ts";
import { type DataRecord, PROFILES, type Profile, resultSchemaOf, runRecordSchema, type RunRecord, runSummarySchema, trainingRunSchema } from "./result.ts";
import { dataRecord } from "./_internals/data.ts";
import { summarizeRun, trainRuns } from "./_internals/training.ts";

/** An experiment config: the head, the data every train run uses, and the runs as they run. */
export interface ExperimentConfig extends ConfigBase {
  data?: DataSpec;
  runs: Run[];
}

/** The series of a file experiment: train runs' records under `runs`, each measurement run's result under its name. */
export type ExperimentSeries = { runs?: RunRecord[] } & Record<string, unknown>;

/** A result of a file experiment. */
export interface ExperimentResult extends ResultBase<ExperimentConfig> {
  series: ExperimentSeries;
  summary: { runs?: ReturnType<typeof summarizeRun>[]; measures?: Record<string, Value>; notes?: string[] } & Record<string, unknown>;
}

// Expressions are checked by checkExpr, which names the one field at fault; the schema's
// anyOf over every leaf and operator would report every branch a bad expression misses.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const lenient = { ...experimentSchema, $defs: { expr: {} } };
const validateFile = ajv.compile(lenient);
const validateBody = ajv.compile({ type: "object", properties: lenient.properties, $defs: lenient.$defs });

/** Error lines for people: the deepest failures first (a bad leaf inside an expression, not every branch it did not match). */
function describeErrors(errors: ErrorObject[], prefix: string): string[] {
  const enumAt = new Set(errors.filter((e) => e.keyword === "enum").map((e) => e.instancePath));
  const useful = errors.filter((e) => !["anyOf", "if", "oneOf"].includes(e.keyword) && !(e.keyword === "const" && enumAt.has(e.instancePath)));
  const depth = (e: ErrorObject) => e.instancePath.split("/").length;
  const deepest = Math.max(...useful.map(depth));
  const shown = useful.filter((e) => depth(e) === deepest);
  const lines = shown.map((e) => schemaErrorLine(e, `${prefix}${e.instancePath || "/"}`));
  return [...new Set(lines)].slice(0, 8);
}

/** Raised for an experiment file that cannot be used; the message names the file and each JSON path. */
export class ExperimentFileError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file}: not a usable experiment:\n  ${problems.join("\n  ")}`);
    this.name = "ExperimentFileError";
  }
}

/**
 * Every problem of a parsed experiment file: schema violations, then for each profile the
 * patched body's violations, training settings no one sets, and claims or measures that read
 * what the runs do not record. Empty when the file is usable.
 *
 * @example
 * definitionProblems(JSON.parse(text)); // ["/claims/x/measure/gradient/layer: layer 7 is beyond run relu's model, which has 5 layers …"]
 */
export function definitionProblems(value: unknown): string[] {
  if (!validateFile(value)) return describeErrors(validateFile.errors ?? [], "");
  const def = value as ExperimentDefinition;
  const problems: string[] = [];
  for (const profile of PROFILES) {
    const where = `(profile ${profile}) `;
    const body = bodyOf(def, profile);
    if (def.profiles[profile].patch && !validateBody(body)) {
      problems.push(...describeErrors(validateBody.errors ?? [], `${where}/profiles/${profile}/patch → `));
      continue;
    }
    let runs: Run[];
    try {
      runs = runsOf(body, def.seed, "");
    } catch (e) {
      problems.push(`${where}${(e as Error).message}`);
      continue;
    }
    problems.push(...runProblems(body, runs).map((p) => where + p));
    const scope = { runs, data: body.data, measures: body.measures ?? {} };
    for (const [name, m] of Object.entries(body.measures ?? {})) problems.push(...checkExpr(m, `/measures/${name}`, scope, [name]).problems.map((p) => where + p));
    for (const [id, c] of Object.entries(body.claims)) {
      for (const [key, e] of [["measure", c.measure], ["threshold", c.threshold]] as const) {
        const r = checkExpr(e, `/claims/${id}/${key}`, scope);
        problems.push(...r.problems.map((p) => where + p));
        if (!r.problems.length && r.shape !== "scalar") problems.push(`${where}/claims/${id}/${key}: a vector; a claim compares one number (reduce it with max, min, mean, count …)`);
      }
      for (const [label, e] of Object.entries(c.detail ?? {})) problems.push(...checkExpr(e, `/claims/${id}/detail/${label}`, scope).problems.map((p) => where + p));
    }
  }
  // the same problem in both profiles is said once, without the profile
  const bare = (p: string) => p.replace(/^\(profile \w+\) /, "");
  const counts = new Map<string, number>();
  for (const p of new Set(problems)) counts.set(bare(p), (counts.get(bare(p)) ?? 0) + 1); // once per profile
  return [...new Set(problems.map((p) => (counts.get(bare(p)) === PROFILES.length ? bare(p) : p)))];
}

/** Problems of the runs themselves: data they need, the net a glorot-check measures. */
function runProblems(body: ExperimentBody, runs: Run[]): string[] {
  const problems: string[] = [];
  const needsData = runs.filter((r) => r.kind === "train" || r.kind === "glorot-check");
  if (needsData.length && !body.data) problems.push(`/data: runs ${needsData.map((r) => r.name).join(", ")} need the experiment's data`);
  if (!runs.some((r) => r.kind === "train") && !runs.some((r) => r.kind === "variance-pairs") && body.data === undefined) {
    problems.push("/data: the experiment has neither data nor a run that generates its own");
  }
  for (const r of runs) {
    if (r.kind !== "glorot-check") continue;
    const net = runs.find((x) => x.name === r.model);
    if (!net || net.kind !== "train") problems.push(`/runs/${r.name}/model: no train run named ${JSON.stringify(r.model)} (train runs: ${runs.filter((x) => x.kind === "train").map((x) => x.name).join(", ") || "none"})`);
  }
  return problems;
}

/**
 * Reads an experiment file (JSON) and checks it whole (`definitionProblems`); throws an
 * `ExperimentFileError` naming the file and every JSON path at fault.
 *
 * @example
 * const def = readExperimentFile("examples/experiments/xor-depth.json");
 */
export function readExperimentFile(path: string): ExperimentDefinition {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ExperimentFileError(path, [`cannot read: ${(e as Error).message}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ExperimentFileError(path, [`not valid JSON: ${(e as Error).message}`]);
  }
  const problems = definitionProblems(value);
  if (problems.length) throw new ExperimentFileError(path, problems);
  return value as ExperimentDefinition;
}

/** The config schema of a file experiment: the head, the data spec and the runs of every kind. */
function configSchemaOf(name: string) {
  return {
    $id: `gradlab/config/${name}`,
    type: "object",
    properties: {
      experiment: { const: name },
      profile: { enum: PROFILES },
      seed: { type: "integer", minimum: 0, maximum: 4294967295 },
      data: dataSpecSchema,
      runs: {
        type: "array",
        items: {
          anyOf: [
            trainingRunSchema,
            ...Object.values(MEASUREMENT_KINDS).map(({ run: s }) => ({
              ...s,
              properties: { name: { type: "string" }, ...s.properties },
              required: ["name", ...s.required],
            })),
          ],
        },
      },
    },
    required: ["experiment", "profile", "seed", "runs"],
    additionalProperties: false,
  };
}

/**
 * The result schema of a file experiment: series and summary follow its runs, in either profile
 * (a profile's patch may add or drop a run, or change its kind): a series key every profile
 * produces is required, one that only some produce is allowed.
 */
function resultSchemaFor(name: string, runsByProfile: Run[][]) {
  const kinds = new Map<string, Set<MeasurementKind>>();
  for (const r of runsByProfile.flat()) if (r.kind !== "train") kinds.set(r.name, (kinds.get(r.name) ?? new Set()).add(r.kind));
  const others = [...kinds].map(([name, k]) => ({ name, kinds: [...k] }));
  const trains = runsByProfile.map((runs) => runs.some((r) => r.kind === "train"));
  const inEvery = (name: string) => runsByProfile.every((runs) => runs.some((r) => r.name === name && r.kind !== "train"));
  const resultOf = (ks: MeasurementKind[]) => ks.length === 1 ? MEASUREMENT_KINDS[ks[0]].result : { anyOf: ks.map((k) => MEASUREMENT_KINDS[k].result) };
  const series = {
    type: "object",
    properties: {
      ...(trains.some(Boolean) ? { runs: { type: "array", items: runRecordSchema } } : {}),
      ...Object.fromEntries(others.map((r) => [r.name, resultOf(r.kinds)])),
    },
    required: [...(trains.every(Boolean) ? ["runs"] : []), ...others.map((r) => r.name).filter(inEvery)],
    additionalProperties: false,
  };
  const value = { anyOf: [{ type: "number" }, { type: "array", items: { type: "number" } }] };
  const summary = {
    type: "object",
    properties: {
      runs: { type: "array", items: runSummarySchema },
      measures: { type: "object", additionalProperties: value },
      notes: { type: "array", items: { type: "string" } },
      ...Object.fromEntries(others.filter((r) => r.kinds.includes("variance-pairs")).map((r) => [r.name, {
        type: "object",
        properties: variancePairsSummarySchema,
        required: Object.keys(variancePairsSummarySchema),
        additionalProperties: false,
      }])),
    },
    additionalProperties: false,
  };
  return resultSchemaOf(name, configSchemaOf(name), series, summary);
}

/** The context measures read from a config and its series. */
function measureContext(cfg: ExperimentConfig, series: ExperimentSeries, measures: MeasureContext["measures"]): MeasureContext {
  const train = new Map((series.runs ?? []).map((r) => [r.name, r.result]));
  const entries = new Map(cfg.runs.filter((r) => r.kind !== "train").map((r) => [r.name, series[r.name] as Record<string, unknown>[]]));
  return { runs: cfg.runs, train, entries, measures };
}

/**
 * Why a config's data would differ from seed to seed, or null: data drawn from the run's seed
 * (`dataSeedOf`: synthetic data without a seed of its own), or a measurement run that draws
 * its inputs from it (its kind's `inputSeed`: a variance-pairs run without a `dataSeed`).
 * Seeds of one run over seeds must share their data: their claims are judged as draws of the
 * weights and the batch order, and shards must agree on the data.
 *
 * @example
 * seedDependentData(experimentNamed("E6").config("quick")); // null: its pairs run has a dataSeed
 */
export function seedDependentData(config: ExperimentConfig): string | null {
  if (config.data && dataSeedOf(config.data, 0) !== dataSeedOf(config.data, 1)) {
    return `/data: ${config.data.dataset} data without a seed of its own is drawn from each seed; give /data/seed to fix it`;
  }
  for (const run of config.runs) {
    const kind = run.kind === "train" ? undefined : MEASUREMENT_KINDS[run.kind];
    if (kind && "inputSeed" in kind && kind.inputSeed(run as never, 0) !== kind.inputSeed(run as never, 1)) {
      return `run ${run.name} (${run.kind}) draws its inputs from each seed; give it a dataSeed to fix them`;
    }
  }
  return null;
}

/** `loadDataSpec`, through the run's cache where it has one (`RunContext.dataCache`). */
function loadCached(spec: DataSpec, seed: number, ctx: RunContext): ReturnType<typeof loadDataSpec> {
  const load = () => loadDataSpec(spec, { dataDir: ctx.dataDir, mnistDir: ctx.mnistDir, env: ctx.env, seed });
  if (!ctx.dataCache) return load();
  const dirs = [ctx.dataDir, ctx.mnistDir, ctx.env?.GRADLAB_DATA_DIR, ctx.env?.GRADLAB_MNIST_DIR];
  const key = JSON.stringify([spec, dataSeedOf(spec, seed), dirs]);
  let data = ctx.dataCache.get(key) as ReturnType<typeof loadDataSpec> | undefined;
  if (!data) ctx.dataCache.set(key, (data = load()));
  return data;
}

/**
 * The `Experiment` an experiment file describes: `config(profile, seed)` resolves the profile,
 * `run` trains its train runs (in parallel workers where tensors live in host memory) and then
 * its measurement runs, `claims` judges every claim on the result.
 *
 * @example
 * const experiment = experimentFromDefinition(readExperimentFile("my-experiment.json"));
 * const result = await runExperiment(experiment, "quick");
 */
export function experimentFromDefinition(def: ExperimentDefinition, file?: string): Experiment<ExperimentConfig, ExperimentResult> {
  const bodies = Object.fromEntries(PROFILES.map((p) => [p, bodyOf(def, p)])) as Record<Profile, ExperimentBody>;
  const bodyFor = (cfg: ConfigBase) => bodies[cfg.profile];
  const measuresOf = (cfg: ConfigBase) => bodyFor(cfg).measures ?? {};
  return {
    name: def.name,
    id: def.id ?? def.name,
    title: def.title,
    source: def.source ?? "",
    file,
    defaultSeed: def.seed,
    atInitPaths: def.comparison?.atInit ?? [],
    divergentPaths: def.comparison?.divergent ?? [],
    profiles: Object.fromEntries(PROFILES.map((p) => [p, def.profiles[p].description])) as Record<Profile, string>,
    configSchema: configSchemaOf(def.name),
    resultSchema: resultSchemaFor(def.name, PROFILES.map((p) => runsOf(bodies[p], def.seed, ""))),
    config(profile, seed = def.seed) {
      const body = bodies[profile];
      const cfg: ExperimentConfig = { experiment: def.name, profile, seed, runs: runsOf(body, seed, file ?? def.name) };
      if (body.data) cfg.data = body.data;
      // a fresh copy: callers edit configs (a test changes a learning rate), never the definition
      return structuredClone(cfg);
    },
    async run(cfg, ctx: RunContext) {
      const pairsUnits = cfg.runs.reduce((n, r) => n + (r.kind === "variance-pairs" ? r.activations.length * r.inits.length : 0), 0);
      const data = cfg.data ? loadCached(cfg.data, cfg.seed, ctx) : undefined;
      const trainList = cfg.runs.filter((r): r is TrainRun => r.kind === "train");
      const series: ExperimentSeries = {};
      if (trainList.length) series.runs = await (ctx.trainRuns ?? trainRuns)(trainList, () => data!, ctx, pairsUnits);
      const before = (series.runs ?? []).reduce((n, r) => n + r.result.iterations, 0);
      let record: DataRecord | undefined = data && dataRecord(data, data.full, data.preprocessing, data.statistics);
      for (const r of cfg.runs) {
        switch (r.kind) {
          case "train":
            break;
          case "variance-pairs": {
            const out = await runVariancePairs(r, cfg.seed, (done, label) =>
              ctx.onProgress?.({ run: label, runIndex: done, runs: pairsUnits, done: before + done, total: before + pairsUnits }));
            series[r.name] = out.pairs;
            record ??= out.data;
            break;
          }
          case "glorot-check": {
            const net = cfg.runs.find((x): x is TrainRun => x.name === r.model && x.kind === "train")!;
            series[r.name] = await runGlorotCheck(r, net.model, data!.train.x, data!.train.rows, cfg.seed);
            break;
          }
          case "activation-derivatives":
            series[r.name] = await runActivationDerivatives(r);
            break;
        }
      }
      return { data: record!, series };
    },
    summarize(cfg, series) {
      const summary: ExperimentResult["summary"] = {};
      if (series.runs) summary.runs = series.runs.map(summarizeRun);
      const measures = measuresOf(cfg);
      if (Object.keys(measures).length) {
        const ctx = measureContext(cfg, series, measures);
        summary.measures = Object.fromEntries(Object.entries(measures).map(([k, e]) => [k, evaluate(e, ctx)]));
      }
      for (const r of cfg.runs) if (r.kind === "variance-pairs") summary[r.name] = variancePairsSummary(series[r.name] as PairMeasurement[]);
      if (def.notes?.length) summary.notes = def.notes;
      return summary;
    },
    claims(cfg, series): Claim[] {
      const ctx = measureContext(cfg, series, measuresOf(cfg));
      return Object.entries(bodyFor(cfg).claims).map(([id, c]) => {
        const out = {
          id,
          statement: c.statement,
          check: c.check,
          measured: scalarOf(evaluate(c.measure, ctx), `claim ${id}`),
          comparison: c.comparison,
          threshold: scalarOf(evaluate(c.threshold, ctx), `claim ${id}'s threshold`),
        };
        const detail = Object.entries(c.detail ?? {}).map(([label, e]) => `${label} ${fmtValue(evaluate(e, ctx))}`).join("; ");
        return claim(detail ? { ...out, detail } : out);
      });
    },
  };
}
