/**
 * What a claim measures, as plain data: a small expression language over a result's runs.
 * Leaves read one kind of recorded number (an epoch metric, a layer's mean |∂L/∂W| over a
 * window, a per-step statistic, a field of a measurement run); operators combine them
 * elementwise (sub, div, …, numpy's maximum/minimum) or reduce a vector to one number (max,
 * min, mean, sum, count, first, last).
 */

/** Epoch metrics a train run records. */
export const EPOCH_METRICS = ["trainAccuracy", "testAccuracy", "trainEvalAccuracy", "lossMean", "lossSum", "trainLoss", "testLoss"] as const;
export type EpochMetric = (typeof EPOCH_METRICS)[number];

/** Per recorded step: what a `steps` leaf reads. */
export const STEP_VALUES = ["globalNorm", "clippedGlobalNorm", "iteration", "kernelSpread", "largestClipChange", "clipFactorError"] as const;
export type StepValue = (typeof STEP_VALUES)[number];

export const ELEMENTWISE_BINARY = ["add", "sub", "mul", "div", "maximum", "minimum"] as const;
export const ELEMENTWISE_UNARY = ["abs", "ln"] as const;
export const REDUCTIONS = ["max", "min", "mean", "sum", "count", "first", "last"] as const;

/** An epoch or layer index: 1-based from the start, or negative from the end (−1 = the last). */
export type Index = number;

export type Expr =
  | number
  | { measure: string }
  | { metric: { run: string; name: EpochMetric; epoch?: Index } }
  | { curve: { run: string; name: EpochMetric } }
  | { gradient: { run: string; layer: Index | "each"; stat?: "meanAbs" | "l2"; epochs?: Index | [Index, Index]; average?: "steps" | "epochs" } }
  | { steps: { run: string; of: StepValue; where?: "clipped" | "not-clipped" } }
  | { symmetryGap: { run: string } }
  | { value: { run: string; where: Record<string, string>; field: string } }
  | { values: { run: string; where?: Record<string, string>; field: string } }
  | { [op in (typeof ELEMENTWISE_BINARY)[number]]?: [Expr, Expr] }
  | { [op in (typeof ELEMENTWISE_UNARY)[number]]?: Expr }
  | { [op in (typeof REDUCTIONS)[number]]?: Expr | Expr[] };

const runName = { type: "string", description: "a run of this experiment, by name" } as const;
const index = { type: "integer", not: { const: 0 }, description: "1-based, or negative from the end (−1 = the last)" } as const;
/** Each leaf's argument schema, by leaf name (checkExpr validates leaves with them). */
export const LEAF_SCHEMAS: Record<string, object> = {};

const leaf = (key: string, description: string, properties: Record<string, unknown>, required: string[]) => {
  LEAF_SCHEMAS[key] = { type: "object", properties, required, additionalProperties: false };
  return {
    type: "object",
    description,
    properties: { [key]: LEAF_SCHEMAS[key] },
    required: [key],
    additionalProperties: false,
  };
};

/** The JSON Schema of an expression (`$ref: "#/$defs/expr"` inside the experiment schema). */
export const exprSchema = {
  description: "A measured number (or vector): a leaf reading a run's results, or an operator over expressions.",
  anyOf: [
    { type: "number", description: "a constant" },
    { type: "object", description: "a named measure of this experiment (its `measures`)", properties: { measure: { type: "string" } }, required: ["measure"], additionalProperties: false },
    leaf("metric", "an epoch metric of a train run: one number", { run: runName, name: { enum: EPOCH_METRICS }, epoch: { ...index, description: "which epoch, 1-based or −1 for the last (default −1)" } }, ["run", "name"]),
    leaf("curve", "an epoch metric of a train run over every epoch: a vector", { run: runName, name: { enum: EPOCH_METRICS } }, ["run", "name"]),
    leaf("gradient", "a kernel's (weight matrix's) gradient statistic averaged over the recorded iterations of a window: one number, or a vector over layers with layer \"each\"", {
      run: runName,
      layer: { anyOf: [index, { const: "each" }], description: "kernel index (1 = first layer, −1 = last) or \"each\" for every layer" },
      stat: { enum: ["meanAbs", "l2"], description: "mean |∂L/∂W| (default) or its L2 norm" },
      epochs: { anyOf: [index, { type: "array", items: index, minItems: 2, maxItems: 2 }], description: "only the iterations of this epoch or epoch range [from, to] (default: all)" },
      average: { enum: ["steps", "epochs"], description: "steps: the mean over the recorded iterations (default); epochs: the mean over epochs of each epoch's mean" },
    }, ["run", "layer"]),
    leaf("steps", "a statistic of every recorded iteration of a train run: a vector", {
      run: runName,
      of: {
        enum: STEP_VALUES,
        description: "globalNorm / clippedGlobalNorm: of every gradient tensor together, before / after clipping; kernelSpread: largest ÷ smallest kernel mean|∂L/∂W|; " +
          "largestClipChange: largest |‖g_i‖ after − before| over tensors; clipFactorError: largest relative difference between ‖g_i‖ after ÷ before and maxNorm/G",
      },
      where: { enum: ["clipped", "not-clipped"], description: "only iterations whose global norm is above (clipped) or at most (not-clipped) the run's clipping maxNorm" },
    }, ["run", "of"]),
    leaf("symmetryGap", "the largest difference, over every epoch-end snapshot, between hidden units that identical initialization keeps identical (their incoming and outgoing weights)", { run: runName }, ["run"]),
    leaf("value", "one field of the one entry of a measurement run's result that matches `where`", {
      run: runName,
      where: { type: "object", additionalProperties: { type: "string" }, description: "label fields and their values, e.g. {\"activation\": \"relu\", \"init\": \"heNormal\"}" },
      field: { type: "string" },
    }, ["run", "where", "field"]),
    leaf("values", "one field of every entry of a measurement run's result that matches `where` (default: all): a vector", {
      run: runName,
      where: { type: "object", additionalProperties: { type: "string" } },
      field: { type: "string" },
    }, ["run", "field"]),
    ...ELEMENTWISE_BINARY.map((op) => ({
      type: "object",
      description: `elementwise ${op} of two expressions (a number broadcasts over a vector)`,
      properties: { [op]: { type: "array", items: { $ref: "#/$defs/expr" }, minItems: 2, maxItems: 2 } },
      required: [op],
      additionalProperties: false,
    })),
    ...ELEMENTWISE_UNARY.map((op) => ({
      type: "object",
      description: `elementwise ${op === "ln" ? "natural logarithm" : "absolute value"}`,
      properties: { [op]: { $ref: "#/$defs/expr" } },
      required: [op],
      additionalProperties: false,
    })),
    ...REDUCTIONS.map((op) => ({
      type: "object",
      description: `${op} over a vector, or over the values of a list of expressions taken together`,
      properties: { [op]: { anyOf: [{ $ref: "#/$defs/expr" }, { type: "array", items: { $ref: "#/$defs/expr" }, minItems: 1 }] } },
      required: [op],
      additionalProperties: false,
    })),
  ],
} as const;
