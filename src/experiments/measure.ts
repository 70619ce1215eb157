/**
 * Measures (measure-schema.ts) checked against an experiment's runs before anything runs
 * (`checkExpr`: every run, layer, epoch, field and named measure a claim reads must exist and
 * be recorded), and evaluated on a result (`evaluate`), in the same float64 arithmetic, in
 * the same order, as a hand-written claim would.
 */
import { schemaErrorLine, type TrainResult } from "../core/mod.ts";
import type { DataSpec } from "../data/mod.ts";
import type { Run, TrainRun } from "./definition.ts";
import { activationDerivativesEntries } from "./kinds/activation-derivatives.ts";
import { glorotCheckEntries } from "./kinds/glorot-check.ts";
import { numericFields } from "./kinds/mod.ts";
import { variancePairsEntries } from "./kinds/variance-pairs.ts";
import { Ajv, type ValidateFunction } from "ajv";
import { ELEMENTWISE_BINARY, ELEMENTWISE_UNARY, EPOCH_METRICS, type Expr, LEAF_SCHEMAS, REDUCTIONS, STEP_VALUES } from "./measure-schema.ts";

const ajv = new Ajv({ allErrors: true, strict: false });
const leafValidators = new Map<string, ValidateFunction>(Object.entries(LEAF_SCHEMAS).map(([k, s]) => [k, ajv.compile(s)]));

/** Shape problems of a leaf's argument (unknown or missing fields, wrong types), at its JSON path. */
function leafShapeProblems(op: string, arg: unknown, at: string): string[] {
  const v = leafValidators.get(op);
  if (!v || v(arg)) return [];
  const lines = (v.errors ?? []).filter((e) => e.keyword !== "anyOf").map((e) => schemaErrorLine(e, `${at}${e.instancePath}`));
  return [...new Set(lines)];
}

/** A measured value: one number or a vector. */
export type Value = number | number[];

/** What measures read: the runs as they ran and their results. */
export interface MeasureContext {
  runs: Run[];
  /** train runs' results by run name */
  train: Map<string, TrainResult>;
  /** measurement runs' entries by run name */
  entries: Map<string, Record<string, unknown>[]>;
  measures: Record<string, Expr>;
}

/** Entry labels a measurement run will produce. */
function entriesOf(run: Run): Record<string, string>[] {
  switch (run.kind) {
    case "variance-pairs": return variancePairsEntries(run);
    case "glorot-check": return glorotCheckEntries(run);
    case "activation-derivatives": return activationDerivativesEntries(run);
    default: return [];
  }
}

const CLASSIFICATION = new Set(["softmaxCrossEntropy", "sparseSoftmaxCrossEntropy"]);

/** The operator or leaf of an expression object (its one key). */
function opOf(e: Exclude<Expr, number>): string {
  return Object.keys(e)[0] ?? "";
}

// ─── checking before anything runs ────────────────────────────────────────────────────────

/** What `checkExpr` knows: the runs of one profile, the data and the named measures. */
export interface CheckScope {
  runs: Run[];
  data?: DataSpec;
  measures: Record<string, Expr>;
}

/**
 * The problems of an expression against the runs of a profile, each naming its JSON path
 * (under `path`), and the expression's shape. Problems: an unknown run, or one of the wrong
 * kind; an epoch or layer beyond the run; a statistic the run does not record (gradients
 * without `record.every`, accuracy without a classification loss, test metrics without a
 * test set, train-set metrics without `evaluateTrainSet`, clipping statistics without
 * clipping, snapshots without `record.epochEndValues`); an entry or field a measurement run
 * does not produce; an unknown or circular named measure.
 *
 * @example
 * checkExpr({ metric: { run: "relu", name: "testAccuracy" } }, "/claims/x/measure", scope); // { problems: [], shape: "scalar" }
 */
export function checkExpr(expr: Expr, path: string, scope: CheckScope, visiting: string[] = []): { problems: string[]; shape: "scalar" | "vector" } {
  const problems: string[] = [];
  const scalar = (p: string[] = []) => ({ problems: [...problems, ...p], shape: "scalar" as const });
  const vector = (p: string[] = []) => ({ problems: [...problems, ...p], shape: "vector" as const });
  if (typeof expr === "number") return scalar();
  if (expr === null || typeof expr !== "object" || Array.isArray(expr) || Object.keys(expr).length !== 1) {
    return scalar([`${path}: expected a number or an object with one key (a leaf or an operator)`]);
  }
  const op = opOf(expr);
  const arg = (expr as Record<string, unknown>)[op] as Record<string, unknown>;
  const at = `${path}/${op}`;
  if (op === "measure" && typeof arg !== "string") return scalar([`${at}: expected the name of a measure`]);
  const shape = leafShapeProblems(op, arg, at);
  if (shape.length) return scalar(shape);
  const trainRun = (): TrainRun | string => {
    const name = arg.run as string;
    const run = scope.runs.find((r) => r.name === name);
    if (!run) return `${at}/run: no run named ${JSON.stringify(name)} (runs: ${scope.runs.map((r) => r.name).join(", ")})`;
    if (run.kind !== "train") return `${at}/run: ${JSON.stringify(name)} is a ${run.kind} run; ${op} reads a train run`;
    return run;
  };
  const epochIndex = (run: TrainRun, i: unknown, where: string): string[] => {
    const n = run.training.epochs;
    if (typeof i !== "number" || !Number.isInteger(i) || i === 0 || Math.abs(i) > n) {
      return [`${where}: epoch ${JSON.stringify(i)} is beyond run ${run.name}, which trains ${n} epoch${n === 1 ? "" : "s"} (use 1…${n} or −1…−${n})`];
    }
    return [];
  };
  const recorded = (run: TrainRun): string[] =>
    run.training.record.every > 0 ? [] : [`${at}/run: run ${run.name} records no gradients (its training.record.every is 0)`];

  switch (op) {
    case "measure": {
      const name = arg as unknown as string;
      if (!(name in scope.measures)) return scalar([`${at}: no measure named ${JSON.stringify(name)} (measures: ${Object.keys(scope.measures).join(", ") || "none"})`]);
      if (visiting.includes(name)) return scalar([`${at}: measure ${name} refers to itself (${[...visiting, name].join(" → ")})`]);
      const inner = checkExpr(scope.measures[name], `/measures/${name}`, scope, [...visiting, name]);
      // the named measure's own problems are reported at its own path, once
      return visiting.length ? inner : { problems: [], shape: inner.shape };
    }
    case "metric":
    case "curve": {
      const run = trainRun();
      if (typeof run === "string") return scalar([run]);
      const name = arg.name as string;
      if (!(EPOCH_METRICS as readonly string[]).includes(name)) return scalar([`${at}/name: ${JSON.stringify(name)} is not an epoch metric (${EPOCH_METRICS.join(", ")})`]);
      const p: string[] = [];
      if (name.endsWith("Accuracy") && !CLASSIFICATION.has(run.training.loss)) p.push(`${at}/name: run ${run.name} has no ${name}: its loss ${run.training.loss} is not a classification loss`);
      if ((name === "trainEvalAccuracy" || name === "trainLoss") && !run.training.evaluateTrainSet) p.push(`${at}/name: run ${run.name} records no ${name}: set its training.evaluateTrainSet`);
      if (name.startsWith("test") && scope.data?.testRows === 0) p.push(`${at}/name: run ${run.name} has no test set (data.testRows is 0)`);
      if (run.training.epochs < 1) p.push(`${at}/run: run ${run.name} trains no epochs`);
      if (op === "metric" && arg.epoch !== undefined) p.push(...epochIndex(run, arg.epoch, `${at}/epoch`));
      return op === "metric" ? scalar(p) : vector(p);
    }
    case "gradient": {
      const run = trainRun();
      if (typeof run === "string") return scalar([run]);
      const p = recorded(run);
      const layers = run.model.layers.length;
      const layer = arg.layer;
      if (layer !== "each" && (typeof layer !== "number" || !Number.isInteger(layer) || layer === 0 || Math.abs(layer) > layers)) {
        p.push(`${at}/layer: layer ${JSON.stringify(layer)} is beyond run ${run.name}'s model, which has ${layers} layers (use 1…${layers}, −1…−${layers} or "each")`);
      }
      const w = arg.epochs;
      if (w !== undefined) for (const [i, e] of (Array.isArray(w) ? w : [w]).entries()) p.push(...epochIndex(run, e, Array.isArray(w) ? `${at}/epochs/${i}` : `${at}/epochs`));
      return layer === "each" ? vector(p) : scalar(p);
    }
    case "steps": {
      const run = trainRun();
      if (typeof run === "string") return vector([run]);
      const p = recorded(run);
      const of = arg.of as string;
      if (!(STEP_VALUES as readonly string[]).includes(of)) p.push(`${at}/of: ${JSON.stringify(of)} is not a step statistic (${STEP_VALUES.join(", ")})`);
      const clipping = run.training.clipping.name;
      if (["clippedGlobalNorm", "largestClipChange"].includes(of) && clipping === "none") p.push(`${at}/of: run ${run.name} does not clip, so it records no ${of}`);
      if ((of === "clipFactorError" || arg.where !== undefined) && clipping !== "globalNorm") {
        p.push(`${at}${of === "clipFactorError" ? "/of" : "/where"}: needs a run that clips by global norm; ${run.name} clips by ${clipping}`);
      }
      return vector(p);
    }
    case "symmetryGap": {
      const run = trainRun();
      if (typeof run === "string") return scalar([run]);
      const p: string[] = [];
      if (!run.training.record.epochEndValues) p.push(`${at}/run: run ${run.name} keeps no weights: set its training.record.epochEndValues`);
      if (run.model.layers.length < 2) p.push(`${at}/run: run ${run.name}'s model has no hidden layer`);
      return scalar(p);
    }
    case "value":
    case "values": {
      const name = arg.run as string;
      const run = scope.runs.find((r) => r.name === name);
      if (!run) return scalar([`${at}/run: no run named ${JSON.stringify(name)} (runs: ${scope.runs.map((r) => r.name).join(", ")})`]);
      if (run.kind === "train") return scalar([`${at}/run: ${JSON.stringify(name)} is a train run; ${op} reads a measurement run (use metric, gradient, steps …)`]);
      const p: string[] = [];
      const fields = numericFields(run.kind);
      if (!fields.includes(arg.field as string)) p.push(`${at}/field: a ${run.kind} run has no field ${JSON.stringify(arg.field)} (${fields.join(", ")})`);
      const entries = entriesOf(run);
      const where = (arg.where ?? {}) as Record<string, string>;
      for (const [k, v] of Object.entries(where)) {
        const known = [...new Set(entries.map((e) => e[k]).filter((x) => x !== undefined))];
        if (!known.length) p.push(`${at}/where/${k}: a ${run.kind} run's entries have no label ${JSON.stringify(k)} (labels: ${Object.keys(entries[0] ?? {}).join(", ")})`);
        else if (!known.includes(v)) p.push(`${at}/where/${k}: run ${name} has no entry with ${k} ${JSON.stringify(v)} (${known.map((x) => JSON.stringify(x)).join(", ")})`);
      }
      const matches = entries.filter((e) => Object.entries(where).every(([k, v]) => e[k] === v)).length;
      if (!p.length && op === "value" && matches !== 1) p.push(`${at}/where: matches ${matches} entries of run ${name}; value needs exactly one (values takes many)`);
      return op === "value" ? scalar(p) : vector(p);
    }
  }
  if ((ELEMENTWISE_BINARY as readonly string[]).includes(op)) {
    const args = arg as unknown as Expr[];
    if (!Array.isArray(args) || args.length !== 2) return scalar([`${at}: expected two expressions`]);
    const parts = args.map((a, i) => checkExpr(a, `${at}/${i}`, scope, visiting));
    const p = parts.flatMap((x) => x.problems);
    return parts.some((x) => x.shape === "vector") ? vector(p) : scalar(p);
  }
  if ((ELEMENTWISE_UNARY as readonly string[]).includes(op)) return checkExpr(arg as unknown as Expr, at, scope, visiting);
  if ((REDUCTIONS as readonly string[]).includes(op)) {
    const args = Array.isArray(arg) ? arg as Expr[] : [arg as unknown as Expr];
    const p = args.flatMap((a, i) => checkExpr(a, Array.isArray(arg) ? `${at}/${i}` : at, scope, visiting).problems);
    return scalar(p);
  }
  const known = ["measure", "metric", "curve", "gradient", "steps", "symmetryGap", "value", "values", ...ELEMENTWISE_BINARY, ...ELEMENTWISE_UNARY, ...REDUCTIONS];
  return scalar([`${path}: unknown measure or operator ${JSON.stringify(op)} (one of ${known.join(", ")})`]);
}

// ─── evaluating on a result ────────────────────────────────────────────────────────────────

/** Arithmetic mean, summed left to right; NaN for an empty list. */
function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

/** Positions (in parameterNames) of the kernels, layer 1 first. */
function kernelIndices(result: TrainResult): number[] {
  return result.parameterNames.flatMap((n, i) => (n.endsWith("/kernel") ? [i] : []));
}

/** Mean |∂L/∂W| of each kernel over every recorded step, layer 1 first. */
export function kernelMeanAbs(result: TrainResult): number[] {
  return kernelIndices(result).map((i) => mean(result.steps.map((s) => s.meanAbs[i])));
}

/** Mean |∂L/∂W| of each kernel over each epoch's recorded steps: [epoch][layer]. */
export function kernelMeanAbsByEpoch(result: TrainResult): number[][] {
  const kernels = kernelIndices(result);
  return result.epochs.map((e) => {
    const steps = result.steps.filter((s) => s.epoch === e.epoch);
    return kernels.map((i) => mean(steps.map((s) => s.meanAbs[i])));
  });
}

function pick<T>(xs: readonly T[], i: number): T {
  return i > 0 ? xs[i - 1] : xs[xs.length + i];
}

function need<T>(x: T | undefined, what: string): T {
  if (x === undefined) throw new Error(`measure: ${what}`);
  return x;
}

function maxNormOf(run: Run | undefined): number {
  if (run?.kind !== "train" || run.training.clipping.name !== "globalNorm") throw new Error(`measure: run ${run?.name} does not clip by global norm`);
  return run.training.clipping.maxNorm;
}

/** Largest difference between hidden units that start identical, over every snapshot (incoming weights, biases, outgoing weights). */
function symmetryGap(result: TrainResult): number {
  const kernels = kernelIndices(result);
  let worst = 0;
  const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
  for (const snap of result.snapshots) {
    for (let l = 0; l + 1 < kernels.length; l++) {
      const w = snap.weights[kernels[l]], [rows, units] = result.parameterShapes[kernels[l]];
      for (let i = 0; i < rows; i++) worst = Math.max(worst, spread(Array.from({ length: units }, (_, j) => w[i * units + j])));
      const bias = result.parameterNames.indexOf(result.parameterNames[kernels[l]].replace(/\/kernel$/, "/bias"));
      if (bias >= 0) worst = Math.max(worst, spread(snap.weights[bias]));
      const next = snap.weights[kernels[l + 1]], [, outs] = result.parameterShapes[kernels[l + 1]];
      for (let j = 0; j < outs; j++) worst = Math.max(worst, spread(Array.from({ length: units }, (_, i) => next[i * outs + j])));
    }
  }
  return worst;
}

/** The epochs of a result inside a window (1-based or negative indices into result.epochs; absent: all). */
function epochsIn(result: TrainResult, window: number | [number, number] | undefined): TrainResult["epochs"] {
  if (window === undefined) return result.epochs;
  const [a, b] = Array.isArray(window) ? window : [window, window];
  const from = pick(result.epochs, a).epoch, to = pick(result.epochs, b).epoch;
  return result.epochs.filter((e) => e.epoch >= from && e.epoch <= to);
}

/** The recorded steps of a result inside an epoch window (absent: all). */
function stepsIn(result: TrainResult, window: number | [number, number] | undefined): TrainResult["steps"] {
  if (window === undefined) return result.steps;
  const epochs = new Set(epochsIn(result, window).map((e) => e.epoch));
  return result.steps.filter((s) => epochs.has(s.epoch));
}

function elementwise(a: Value, b: Value, f: (x: number, y: number) => number): Value {
  if (typeof a === "number" && typeof b === "number") return f(a, b);
  if (typeof a === "number") return (b as number[]).map((y) => f(a, y));
  if (typeof b === "number") return a.map((x) => f(x, b));
  if (a.length !== b.length) throw new Error(`measure: vectors of ${a.length} and ${b.length} values`);
  return a.map((x, i) => f(x, b[i]));
}

const BINARY: Record<string, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  maximum: (x, y) => Math.max(x, y),
  minimum: (x, y) => Math.min(x, y),
};
const UNARY: Record<string, (x: number) => number> = { abs: Math.abs, ln: Math.log };
const REDUCE: Record<string, (xs: number[]) => number> = {
  max: (xs) => Math.max(...xs),
  min: (xs) => Math.min(...xs),
  sum: (xs) => xs.reduce((a, b) => a + b, 0),
  mean,
  count: (xs) => xs.length,
  first: (xs) => xs[0] ?? NaN,
  last: (xs) => xs[xs.length - 1] ?? NaN,
};

/**
 * Evaluates an expression on a result. Checked expressions (`checkExpr`) only read what was
 * recorded; anything else throws naming what is missing.
 *
 * @example
 * evaluate({ sub: [{ metric: { run: "relu", name: "trainAccuracy" } }, { metric: { run: "sigmoid", name: "trainAccuracy" } }] }, ctx);
 */
export function evaluate(expr: Expr, ctx: MeasureContext): Value {
  if (typeof expr === "number") return expr;
  const op = opOf(expr);
  const arg = (expr as Record<string, unknown>)[op] as Record<string, unknown>;
  const result = () => need(ctx.train.get(arg.run as string), `no train run ${arg.run}`);
  switch (op) {
    case "measure": return evaluate(need(ctx.measures[arg as unknown as string], `no measure ${arg}`), ctx);
    case "metric": {
      const e = need(pick(result().epochs, (arg.epoch as number | undefined) ?? -1), `run ${arg.run} has no epoch ${arg.epoch}`);
      return need(e[arg.name as "lossMean"], `run ${arg.run}'s epoch ${e.epoch} has no ${arg.name}`);
    }
    case "curve": return result().epochs.map((e) => need(e[arg.name as "lossMean"], `run ${arg.run}'s epoch ${e.epoch} has no ${arg.name}`));
    case "gradient": {
      const r = result();
      const stat = (arg.stat ?? "meanAbs") as "meanAbs" | "l2";
      const steps = stepsIn(r, arg.epochs as number | [number, number] | undefined);
      const kernels = kernelIndices(r);
      const epochs = epochsIn(r, arg.epochs as number | [number, number] | undefined);
      const at = (i: number) =>
        arg.average === "epochs"
          ? mean(epochs.map((e) => mean(steps.filter((s) => s.epoch === e.epoch).map((s) => s[stat][i]))))
          : mean(steps.map((s) => s[stat][i]));
      return arg.layer === "each" ? kernels.map(at) : at(pick(kernels, arg.layer as number));
    }
    case "steps": {
      const r = result();
      const run = ctx.runs.find((x) => x.name === arg.run);
      const c = () => maxNormOf(run);
      const steps = arg.where === undefined ? r.steps : r.steps.filter((s) => (s.globalNorm > c()) === (arg.where === "clipped"));
      const kernels = kernelIndices(r);
      const after = (s: TrainResult["steps"][number]) => need(s.clippedL2, `run ${arg.run} recorded no norms after clipping`);
      const of: Record<string, (s: TrainResult["steps"][number]) => number> = {
        globalNorm: (s) => s.globalNorm,
        clippedGlobalNorm: (s) => s.clippedGlobalNorm ?? NaN,
        iteration: (s) => s.iteration,
        kernelSpread: (s) => {
          const k = kernels.map((i) => s.meanAbs[i]);
          return Math.max(...k) / Math.min(...k);
        },
        largestClipChange: (s) => Math.max(...s.l2.map((v, i) => Math.abs(after(s)[i] - v))),
        clipFactorError: (s) => Math.max(...s.l2.map((v, i) => Math.abs(after(s)[i] / v - c() / s.globalNorm) / (c() / s.globalNorm))),
      };
      return steps.map(need(of[arg.of as string], `no step statistic ${arg.of}`));
    }
    case "symmetryGap": return symmetryGap(result());
    case "value":
    case "values": {
      const entries = need(ctx.entries.get(arg.run as string), `no measurement run ${arg.run}`);
      const where = Object.entries((arg.where ?? {}) as Record<string, string>);
      const hits = entries.filter((e) => where.every(([k, v]) => e[k] === v)).map((e) => e[arg.field as string] as number);
      if (op === "values") return hits;
      if (hits.length !== 1) throw new Error(`measure: ${hits.length} entries of run ${arg.run} match ${JSON.stringify(arg.where)}`);
      return hits[0];
    }
  }
  if (op in BINARY) {
    const [a, b] = arg as unknown as [Expr, Expr];
    return elementwise(evaluate(a, ctx), evaluate(b, ctx), BINARY[op]);
  }
  if (op in UNARY) {
    const v = evaluate(arg as unknown as Expr, ctx);
    return typeof v === "number" ? UNARY[op](v) : v.map(UNARY[op]);
  }
  if (op in REDUCE) {
    const values = (Array.isArray(arg) ? arg as Expr[] : [arg as unknown as Expr]).flatMap((a) => evaluate(a, ctx));
    return REDUCE[op](values);
  }
  throw new Error(`measure: unknown operator ${op}`);
}

/** A value evaluated where one number is needed. */
export function scalarOf(v: Value, what: string): number {
  if (typeof v !== "number") throw new Error(`${what}: a vector of ${v.length} values where one number is needed (reduce it with max, min, mean …)`);
  return v;
}
