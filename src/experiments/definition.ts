/**
 * An experiment as plain data (`gradlab-experiment/1`): its runs (model, training and data,
 * everything `train` takes, or a measurement run of a named kind), its claims (a measure, a
 * comparison and a threshold, in words and in data) and two profiles, each a JSON Merge Patch
 * (RFC 7386) over the rest. `experimentSchema` is what `gradlab schema experiment` prints.
 */
import {
  activationSchema,
  batchNormSchema,
  denseStack,
  initializerSchema,
  type ModelSpec,
  modelSpecSchema,
  Rng,
  type TrainConfig,
  trainConfigSchema,
} from "../core/mod.ts";
import { type DataSpec, dataSpecSchema } from "../data/mod.ts";
import { claimSchema, type Comparison } from "./claims.ts";
import type { ActivationDerivativesRun } from "./kinds/activation-derivatives.ts";
import type { GlorotCheckRun } from "./kinds/glorot-check.ts";
import { MEASUREMENT_KINDS } from "./kinds/mod.ts";
import type { VariancePairsRun } from "./kinds/variance-pairs.ts";
import { type Expr, exprSchema } from "./measure-schema.ts";
import { PROFILES, type Profile, type TrainingRun } from "./result.ts";

export const EXPERIMENT_FORMAT = "gradlab-experiment/1";

/** Names of runs, measures and claims: they key objects, so never integer-like (JSON keeps the written order). */
const NAME_PATTERN = "^[A-Za-z][A-Za-z0-9_.-]*$";

/** The comparisons a claim makes: the claim record's own (claims.ts). */
const COMPARISONS = claimSchema.properties.comparison.enum;

/** The training settings a run may leave to the experiment's `training` defaults (the seed comes from the experiment). */
const partialTrainingSchema = {
  ...trainConfigSchema,
  description: "training settings (src/core/train-config.ts) without the seed; merged over the experiment's `training` (RFC 7386)",
  properties: Object.fromEntries(Object.entries(trainConfigSchema.properties).filter(([k]) => k !== "seed")),
  required: [],
} as const;

/** `denseStack`'s arguments: a stack of dense layers, the last one linear. */
const stackSchema = {
  type: "object",
  description: "a stack of dense layers: every hidden layer with `activation`, the last one linear",
  properties: {
    inputSize: { type: "integer", minimum: 1 },
    units: { type: "array", items: { type: "integer", minimum: 1 }, minItems: 1, description: "units of each layer, the output layer last" },
    activation: activationSchema,
    kernelInitializer: initializerSchema,
    biasInitializer: initializerSchema,
    useBias: { type: "boolean", description: "default true" },
    batchNorm: { ...batchNormSchema, description: "batch normalization on every hidden layer" },
    batchNormLast: { type: "boolean", description: "batch-normalize the output layer too (default false)" },
  },
  required: ["inputSize", "units", "activation", "kernelInitializer"],
  additionalProperties: false,
} as const;

const trainRunSchema = {
  type: "object",
  description: "a training run: one model trained on the experiment's data",
  properties: {
    kind: { const: "train", description: "the default kind" },
    description: { type: "string" },
    model: {
      anyOf: [
        modelSpecSchema,
        { type: "object", properties: { stack: stackSchema }, required: ["stack"], additionalProperties: false },
      ],
      description: "a model spec (src/core/model-spec.ts) or {\"stack\": …}",
    },
    training: partialTrainingSchema,
    seed: {
      type: "object",
      description: "train from a seed drawn from the experiment's: Rng(seed).fork(fork).uint32() (default: the experiment's seed itself)",
      properties: { fork: { type: "string", minLength: 1 } },
      required: ["fork"],
      additionalProperties: false,
    },
  },
  required: ["description", "model"],
  additionalProperties: false,
} as const;

/** A run by its kind (absent: "train"): if/then chains give the errors of the kind meant, not of every kind. */
function runKindsSchema() {
  const kinds = Object.entries(MEASUREMENT_KINDS);
  let chain: object = trainRunSchema;
  for (const [kind, { run }] of [...kinds].reverse()) {
    chain = { if: { properties: { kind: { const: kind } }, required: ["kind"] }, then: run, else: chain };
  }
  return {
    type: "object",
    properties: { kind: { enum: ["train", ...kinds.map(([k]) => k)], description: "what the run does (default: train)" } },
    allOf: [chain],
  };
}

const claimDefinitionSchema = {
  type: "object",
  properties: {
    statement: { type: "string", description: "the source's claim in words" },
    check: { type: "string", description: "what is measured and how it is compared, in words" },
    measure: { $ref: "#/$defs/expr" },
    comparison: { enum: COMPARISONS },
    threshold: { $ref: "#/$defs/expr", description: "a number, or an expression of constants (e.g. {\"ln\": 1.25})" },
    detail: {
      type: "object",
      description: "numbers to print beside the verdict: label → expression",
      additionalProperties: { $ref: "#/$defs/expr" },
    },
  },
  required: ["statement", "check", "measure", "comparison", "threshold"],
  additionalProperties: false,
} as const;

const bodyProperties = {
  data: { ...dataSpecSchema, description: "the data every train run uses (src/data/data-spec.ts)" },
  training: partialTrainingSchema,
  runs: {
    type: "object",
    description: "the runs, by name, in the order they run",
    propertyNames: { pattern: NAME_PATTERN, not: { const: "runs" } },
    minProperties: 1,
    additionalProperties: runKindsSchema(),
  },
  measures: {
    type: "object",
    description: "named measures: claims refer to them as {\"measure\": NAME}; their values are stored in the result's summary",
    propertyNames: { pattern: NAME_PATTERN },
    additionalProperties: { $ref: "#/$defs/expr" },
  },
  claims: {
    type: "object",
    description: "the claims, by id, in the order they are reported",
    propertyNames: { pattern: NAME_PATTERN },
    additionalProperties: claimDefinitionSchema,
  },
} as const;

const profileSchema = {
  type: "object",
  properties: {
    description: { type: "string", description: "what the profile is, in one line (sizes)" },
    patch: {
      type: "object",
      description: "a JSON Merge Patch (RFC 7386) over data, training, runs, measures and claims: objects merge, anything else replaces, null removes",
      properties: Object.fromEntries(Object.keys(bodyProperties).map((k) => [k, {}])),
      additionalProperties: false,
    },
  },
  required: ["description"],
  additionalProperties: false,
} as const;

/** The JSON Schema of an experiment file. */
export const experimentSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://gradlab.invalid/schema/experiment.json",
  title: "gradlab experiment",
  description: "An experiment: its runs, its claims and two profiles (quick: CI-sized; full: the source's configuration). Documented in docs/experiment-files.md.",
  type: "object",
  properties: {
    $schema: { type: "string", description: "for editors: where this schema is" },
    format: { const: EXPERIMENT_FORMAT },
    name: { type: "string", pattern: "^[a-z0-9][a-z0-9-]*$", description: "the experiment's name: its fixtures live in DIR/NAME/PROFILE.json" },
    id: { type: "string", description: "a short id (E1 …), accepted wherever the name is" },
    title: { type: "string" },
    source: { type: "string", description: "the source document the experiment reproduces" },
    seed: { type: "integer", minimum: 0, maximum: 4294967295, description: "the default seed (--seed replaces it)" },
    notes: { type: "array", items: { type: "string" }, description: "what the experiment does not check, and why" },
    comparison: {
      type: "object",
      description: "how a rerun on another backend is compared with a fixture (src/golden/compare.ts); paths in the [label] form",
      properties: {
        atInit: { type: "array", items: { type: "string" }, description: "result paths measured at initialization: the tighter cross-backend tolerance" },
        divergent: { type: "array", items: { type: "string" }, description: "result paths on trajectories that diverge between backends: compared for finiteness only across backends" },
        why: { type: "string", description: "why these paths, for people" },
      },
      additionalProperties: false,
    },
    ...bodyProperties,
    profiles: {
      type: "object",
      properties: Object.fromEntries(PROFILES.map((p) => [p, profileSchema])),
      required: [...PROFILES],
      additionalProperties: false,
    },
  },
  required: ["format", "name", "title", "seed", "runs", "claims", "profiles"],
  additionalProperties: false,
  $defs: { expr: exprSchema },
} as const;

export type TrainRunDefinition = {
  kind?: "train";
  description: string;
  model: ModelSpec | { stack: Parameters<typeof stackOf>[0] };
  training?: Partial<Omit<TrainConfig, "seed">>;
  seed?: { fork: string };
};
export type RunDefinition = TrainRunDefinition | VariancePairsRun | GlorotCheckRun | ActivationDerivativesRun;

export interface ClaimDefinition {
  statement: string;
  check: string;
  measure: Expr;
  comparison: Comparison;
  threshold: Expr;
  detail?: Record<string, Expr>;
}

/** The part of an experiment file a profile patches. */
export interface ExperimentBody {
  data?: DataSpec;
  training?: Partial<Omit<TrainConfig, "seed">>;
  runs: Record<string, RunDefinition>;
  measures?: Record<string, Expr>;
  claims: Record<string, ClaimDefinition>;
}

export interface ExperimentDefinition extends ExperimentBody {
  $schema?: string;
  format: typeof EXPERIMENT_FORMAT;
  name: string;
  id?: string;
  title: string;
  source?: string;
  seed: number;
  notes?: string[];
  comparison?: { atInit?: string[]; divergent?: string[]; why?: string };
  profiles: Record<Profile, { description: string; patch?: Partial<Record<keyof ExperimentBody, unknown>> }>;
}

/** A train run as it runs: everything `train` takes but the data (result.ts's `trainingRunSchema`, as stored in a config). */
export type TrainRun = TrainingRun;
/** A run as it runs, named. */
export type Run = TrainRun | ({ name: string } & (VariancePairsRun | GlorotCheckRun | ActivationDerivativesRun));

/**
 * JSON Merge Patch (RFC 7386, section 2): an object patch merges key by key, `null` removes a
 * key, anything else (arrays too) replaces the target.
 *
 * @example
 * mergePatch({ a: 1, b: { c: 2 } }, { b: { c: null, d: 3 } }); // { a: 1, b: { d: 3 } }
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target !== null && typeof target === "object" && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function stackOf(s: {
  inputSize: number;
  units: number[];
  activation: ModelSpec["layers"][number]["activation"];
  kernelInitializer: ModelSpec["layers"][number]["kernelInitializer"];
  biasInitializer?: ModelSpec["layers"][number]["kernelInitializer"];
  useBias?: boolean;
  batchNorm?: { momentum: number; epsilon: number };
  batchNormLast?: boolean;
}): ModelSpec {
  const options: Parameters<typeof denseStack>[4] = {};
  if (s.useBias !== undefined) options.useBias = s.useBias;
  if (s.biasInitializer) options.biasInitializer = s.biasInitializer;
  if (s.batchNorm) options.batchNorm = s.batchNorm;
  if (s.batchNormLast !== undefined) options.batchNormLast = s.batchNormLast;
  return denseStack(s.inputSize, s.units, s.activation, s.kernelInitializer, options);
}

/** The experiment's body with a profile's patch applied. */
export function bodyOf(def: ExperimentDefinition, profile: Profile): ExperimentBody {
  const { data, training, runs, measures, claims } = def;
  const body: Record<string, unknown> = { runs, claims };
  if (data) body.data = data;
  if (training) body.training = training;
  if (measures) body.measures = measures;
  return mergePatch(body, def.profiles[profile].patch ?? {}) as ExperimentBody;
}

/**
 * The runs of a body as they run: train runs with the experiment's training defaults merged in,
 * `{stack}` models expanded, and their seed (the experiment's, or a fork of it). A training
 * setting missing after the merge is an error naming the run.
 */
export function runsOf(body: ExperimentBody, seed: number, where: string): Run[] {
  return Object.entries(body.runs).map(([name, run]): Run => {
    if (run.kind !== undefined && run.kind !== "train") return { name, ...run } as Run;
    run = run as TrainRunDefinition;
    const model = "stack" in run.model ? stackOf(run.model.stack) : run.model;
    const runSeed = run.seed ? new Rng(seed).fork(run.seed.fork).uint32() : seed;
    const training = { ...(mergePatch(body.training ?? {}, run.training ?? {}) as object), seed: runSeed } as TrainConfig;
    const missing = trainConfigSchema.required.filter((k) => (training as Record<string, unknown>)[k] === undefined);
    if (missing.length) {
      throw new Error(`${where}/runs/${name}/training: missing ${missing.join(", ")} (neither the run nor the experiment's training sets them)`);
    }
    return { name, kind: "train", description: run.description, model, training };
  });
}
