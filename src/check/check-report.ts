/**
 * What `gradlab check` reports, as plain data with its JSON Schema (`--json FILE` is
 * validated against it before it is written). A measured number that is NaN or ±Inf is null
 * in the report (JSON has neither) and named in `nonFinite`.
 */
import type { FromSchema } from "json-schema-to-ts";

/** The value of `format`; readers refuse others. */
export const CHECK_REPORT_FORMAT = "gradlab-check/1";

const measured = { type: ["number", "null"], description: "null: not finite (see nonFinite)" } as const;
const verdict = { enum: ["healthy", "vanishing", "exploding"] } as const;
const direction = { enum: ["kept", "shrinks", "grows", null], description: "null: not measured" } as const;
const shape = { type: "array", items: { type: ["integer", "null"] } } as const;
const why = { type: "string" } as const;

export const checkReportSchema = {
  type: "object",
  properties: {
    format: { const: CHECK_REPORT_FORMAT },
    model: {
      type: "object",
      properties: {
        source: { type: "string", description: "the model.json path, or \"in-memory\"" },
        name: { type: "string" },
        className: { type: "string", description: "Sequential or Model (functional)" },
        inputShape: shape,
        outputUnits: { type: "integer", minimum: 1 },
        parameters: { type: "integer", minimum: 0, description: "trainable parameters" },
      },
      required: ["source", "name", "className", "inputShape", "outputUnits", "parameters"],
      additionalProperties: false,
    },
    batch: {
      type: "object",
      properties: {
        source: { type: "string" },
        rows: { type: "integer", minimum: 2 },
        features: { type: "integer", minimum: 1 },
        preprocessing: { type: "string" },
        targets: { type: "string", description: "where the targets came from" },
        seed: { type: "integer", minimum: 0, description: "the seed of every random choice (inputs, targets); repeat with --seed" },
      },
      required: ["source", "rows", "features", "preprocessing", "targets", "seed"],
      additionalProperties: false,
    },
    loss: {
      type: "object",
      properties: {
        name: { type: "string" },
        origin: { enum: ["compiled", "requested", "output"] },
        why,
        value: measured,
      },
      required: ["name", "origin", "why", "value"],
      additionalProperties: false,
    },
    mode: { type: "string", description: "how the layers ran: batch norm on batch statistics, dropout off" },
    environment: {
      type: "object",
      properties: { backend: { type: "string" }, device: { type: "string" }, runtime: { type: "string" }, runtimeVersion: { type: "string" }, tfjsVersion: { type: "string" } },
      required: ["backend", "runtime", "tfjsVersion"],
    },
    thresholds: {
      type: "object",
      properties: {
        gradientRatio: {
          type: "object",
          properties: { vanishingBelow: { type: "number" }, explodingAbove: { type: "number" }, why },
          required: ["vanishingBelow", "explodingAbove", "why"],
          additionalProperties: false,
        },
        saturation: {
          type: "object",
          properties: { derivativeFraction: { type: "number" }, shareAbove: { type: "number" }, why },
          required: ["derivativeFraction", "shareAbove", "why"],
          additionalProperties: false,
        },
        deadRelu: { type: "object", properties: { shareAbove: { type: "number" }, why }, required: ["shareAbove", "why"], additionalProperties: false },
        varianceBand: {
          type: "object",
          properties: { low: { type: "number" }, high: { type: "number" }, why },
          required: ["low", "high", "why"],
          additionalProperties: false,
        },
      },
      required: ["gradientRatio", "saturation", "deadRelu", "varianceBand"],
      additionalProperties: false,
    },
    layers: {
      type: "array",
      items: {
        type: "object",
        properties: {
          index: { type: "integer", minimum: 1 },
          name: { type: "string" },
          className: { type: "string" },
          activation: { type: ["string", "null"] },
          block: { type: "integer", minimum: 0, description: "the Dense block it belongs to (0: before the first Dense layer)" },
          outputShape: shape,
          forwardMean: measured,
          forwardVariance: { ...measured, description: "variance of the layer's output over rows × units" },
          backwardVariance: { ...measured, description: "variance of ∂L/∂(layer output) over rows × units" },
          saturatedShare: { ...measured, description: "sigmoid/tanh: share of unit activations (rows × units) in saturation; null for other layers" },
          deadShare: { ...measured, description: "ReLU: share of units whose output is 0 on every row; null for other layers" },
          weights: {
            type: "array",
            items: {
              type: "object",
              properties: {
                name: { type: "string" },
                shape: { type: "array", items: { type: "integer" } },
                meanAbsGradient: measured,
                gradientL2: measured,
              },
              required: ["name", "shape", "meanAbsGradient", "gradientL2"],
              additionalProperties: false,
            },
          },
          kernel: {
            oneOf: [
              { type: "null" },
              {
                type: "object",
                properties: {
                  meanAbsGradient: measured,
                  ratioToLast: { ...measured, description: "mean |∂L/∂W| ÷ the last Dense layer's" },
                  verdict,
                },
                required: ["meanAbsGradient", "ratioToLast", "verdict"],
                additionalProperties: false,
              },
            ],
          },
          notes: { type: "array", items: { type: "string" } },
        },
        required: ["index", "name", "className", "activation", "block", "outputShape", "forwardMean", "forwardVariance", "backwardVariance", "saturatedShare", "deadShare", "weights", "kernel", "notes"],
        additionalProperties: false,
      },
    },
    blocks: {
      type: "array",
      description: "block 0 is the input (after any layers before the first Dense); block l ≥ 1 is Dense layer l and the layers after it up to the next Dense",
      items: {
        type: "object",
        properties: {
          index: { type: "integer", minimum: 0 },
          layers: { type: "array", items: { type: "string" } },
          units: { type: "integer", minimum: 1 },
          forwardVariance: measured,
          backwardVariance: measured,
          forwardRatio: { ...measured, description: "Var(h_l) / Var(h_{l−1}); null for block 0" },
          backwardRatio: { ...measured, description: "Var(∂L/∂h_{l−1}) / Var(∂L/∂h_l): how the gradient's variance changes crossing the block downward; null for block 0" },
        },
        required: ["index", "layers", "units", "forwardVariance", "backwardVariance", "forwardRatio", "backwardRatio"],
        additionalProperties: false,
      },
    },
    glorot: {
      type: "object",
      properties: {
        hiddenBlocks: { type: "integer", minimum: 0 },
        forwardRatio: { ...measured, description: "(Var h_H / Var h_1)^(1/(H−1)) over the H hidden blocks" },
        backwardRatio: { ...measured, description: "(Var ∂L/∂h_1 / Var ∂L/∂h_H)^(1/(H−1))" },
        forward: direction,
        backward: direction,
        summary: { type: "string" },
      },
      required: ["hiddenBlocks", "forwardRatio", "backwardRatio", "forward", "backward", "summary"],
      additionalProperties: false,
    },
    globalGradientNorm: { ...measured, description: "√Σ‖g‖² over every trainable weight's gradient" },
    nonFinite: { type: "array", items: { type: "string" }, description: "where a NaN or ±Inf was measured" },
    verdict: { ...verdict, description: "exploding if any layer's verdict is, else vanishing if any is, else healthy" },
    findings: { type: "array", items: { type: "string" }, description: "the reasons, one sentence each" },
  },
  required: ["format", "model", "batch", "loss", "mode", "environment", "thresholds", "layers", "blocks", "glorot", "globalGradientNorm", "nonFinite", "verdict", "findings"],
  additionalProperties: false,
} as const;

/**
 * A gradient-flow diagnosis of one model: per-layer measurements and verdicts (schema-checked JSON).
 *
 * @example
 * const report: CheckReport = await checkModel(model, { seed: 1 }); console.log(report.verdict); // "healthy" | "vanishing" | "exploding"
 */
export type CheckReport = FromSchema<typeof checkReportSchema>;
export type CheckVerdict = CheckReport["verdict"];
export type LayerReport = CheckReport["layers"][number];
