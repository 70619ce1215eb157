/**
 * The model as plain data: a JSON Schema and the type json-schema-to-ts derives from it.
 * A model is a stack of dense layers; each layer is dense → optional batch normalization →
 * activation. The last layer is usually `linear` (logits or a regression output).
 */
import type { FromSchema } from "json-schema-to-ts";

export const activationSchema = {
  oneOf: [
    {
      type: "object",
      properties: { name: { enum: ["linear", "sigmoid", "tanh", "relu", "selu"] } },
      required: ["name"],
      additionalProperties: false,
    },
    {
      type: "object",
      properties: { name: { enum: ["leakyRelu", "elu"] }, alpha: { type: "number", minimum: 0 } },
      required: ["name", "alpha"],
      additionalProperties: false,
    },
  ],
} as const;
/**
 * An activation as a model spec names it (leakyRelu with its alpha, elu with its alpha).
 *
 * @example
 * const act: ActivationSpec = { name: "leakyRelu", alpha: 0.01 };
 */
export type ActivationSpec = FromSchema<typeof activationSchema>;

export const initializerSchema = {
  oneOf: [
    {
      type: "object",
      properties: { name: { const: "zeros" } },
      required: ["name"],
      additionalProperties: false,
    },
    {
      type: "object",
      properties: { name: { const: "constant" }, value: { type: "number" } },
      required: ["name", "value"],
      additionalProperties: false,
    },
    {
      type: "object",
      properties: {
        name: { enum: ["randomNormal", "truncatedNormal"] },
        stddev: { type: "number", exclusiveMinimum: 0 },
        mean: { type: "number" },
      },
      required: ["name", "stddev"],
      additionalProperties: false,
    },
    {
      type: "object",
      properties: { name: { const: "randomUniform" }, limit: { type: "number", exclusiveMinimum: 0 } },
      required: ["name", "limit"],
      additionalProperties: false,
    },
    {
      type: "object",
      properties: {
        name: { enum: ["glorotUniform", "glorotNormal", "heUniform", "heNormal", "lecunUniform", "lecunNormal"] },
        gain: { type: "number", exclusiveMinimum: 0 },
      },
      required: ["name"],
      additionalProperties: false,
    },
    {
      type: "object",
      description: "Variance scaling: Var(W) = scale·gain²/n with n = fan_in, fan_out or their mean.",
      properties: {
        name: { const: "varianceScaling" },
        scale: { type: "number", exclusiveMinimum: 0 },
        mode: { enum: ["fanIn", "fanOut", "fanAvg"] },
        distribution: { enum: ["uniform", "normal", "truncatedNormal", "truncatedNormalTf1"] },
        gain: { type: "number", exclusiveMinimum: 0 },
      },
      required: ["name", "scale", "mode", "distribution"],
      additionalProperties: false,
    },
    {
      type: "object",
      description: "PyTorch's nn.Linear default: U(−1/√fan_in, 1/√fan_in) for weights and biases.",
      properties: { name: { const: "torchDefault" } },
      required: ["name"],
      additionalProperties: false,
    },
  ],
} as const;
/**
 * A weight initializer as a model spec names it (glorotUniform, heNormal, orthogonal, …).
 *
 * @example
 * const init: InitializerSpec = { name: "heNormal" };
 */
export type InitializerSpec = FromSchema<typeof initializerSchema>;

export const batchNormSchema = {
  type: "object",
  properties: {
    momentum: { type: "number", minimum: 0, maximum: 1 },
    epsilon: { type: "number", exclusiveMinimum: 0 },
  },
  required: ["momentum", "epsilon"],
  additionalProperties: false,
} as const;
export type BatchNormSpec = FromSchema<typeof batchNormSchema>;

export const layerSchema = {
  type: "object",
  properties: {
    units: { type: "integer", minimum: 1 },
    activation: activationSchema,
    kernelInitializer: initializerSchema,
    useBias: { type: "boolean" },
    biasInitializer: initializerSchema,
    batchNorm: batchNormSchema,
  },
  required: ["units", "activation", "kernelInitializer", "useBias"],
  additionalProperties: false,
} as const;
/**
 * One dense layer of a model spec: units, activation, kernel initializer, bias, batch norm.
 *
 * @example
 * const layer: LayerSpec = { units: 64, activation: { name: "relu" }, kernelInitializer: { name: "heNormal" } };
 */
export type LayerSpec = FromSchema<typeof layerSchema>;

export const modelSpecSchema = {
  type: "object",
  properties: {
    inputSize: { type: "integer", minimum: 1 },
    layers: { type: "array", items: layerSchema, minItems: 1 },
  },
  required: ["inputSize", "layers"],
  additionalProperties: false,
} as const;
/**
 * A dense network as plain data: input size and layers (checked against its JSON Schema).
 *
 * @example
 * const spec: ModelSpec = { inputSize: 4, layers: [{ units: 3, activation: { name: "tanh" }, kernelInitializer: { name: "glorotUniform" } }] };
 */
export type ModelSpec = FromSchema<typeof modelSpecSchema>;

/**
 * A stack of layers with one activation on the hidden layers and a linear last layer.
 *
 * @example
 * const e1 = denseStack(784, [30, 30, 30, 30, 10], { name: "sigmoid" }, { name: "glorotUniform" });
 */
export function denseStack(
  inputSize: number,
  units: number[],
  hidden: ActivationSpec,
  kernelInitializer: InitializerSpec,
  options: { useBias?: boolean; biasInitializer?: InitializerSpec; batchNorm?: BatchNormSpec; batchNormLast?: boolean } = {},
): ModelSpec {
  const { useBias = true, biasInitializer, batchNorm, batchNormLast = false } = options;
  return {
    inputSize,
    layers: units.map((u, i): LayerSpec => {
      const last = i === units.length - 1;
      const layer: LayerSpec = { units: u, activation: last ? { name: "linear" } : hidden, kernelInitializer, useBias };
      if (biasInitializer) layer.biasInitializer = biasInitializer;
      if (batchNorm && (!last || batchNormLast)) layer.batchNorm = batchNorm;
      return layer;
    }),
  };
}
