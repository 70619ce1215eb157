/**
 * A tfjs-layers model as the chain of layers `check` walks: one input, one output, each layer
 * fed by the one before. Which layer classes it knows, and what each does to the analysis.
 */
import type * as tfl from "@tensorflow/tfjs-layers";

/** The layer classes `check` supports, and the role each plays. */
export const SUPPORTED_LAYERS = ["InputLayer", "Dense", "BatchNormalization", "Activation", "Dropout", "Flatten", "ReLU", "LeakyReLU", "ELU", "Softmax"] as const;
export type SupportedLayer = (typeof SUPPORTED_LAYERS)[number];

/** Raised for a model `check` cannot walk; names the layer's class and, when known, the file. */
export class UnsupportedModelError extends Error {
  override name = "UnsupportedModelError";
}

/** One layer of the chain. */
export interface ChainLayer {
  /** 1-based position in the chain */
  index: number;
  layer: tfl.layers.Layer;
  name: string;
  className: SupportedLayer;
  /**
   * The activation the layer applies, in tfjs-layers' names ("sigmoid", "relu", "linear", …;
   * "leakyRelu", "elu" for those layers), or null for layers that apply none.
   */
  activation: string | null;
  /** Dense layers start a block of the Glorot analysis */
  dense: boolean;
}

/**
 * Throws UnsupportedModelError unless `className` is supported; `where` names the layer and
 * its file.
 *
 * @example
 * checkLayerClass("Conv2D", 'layer 2 "conv2d_Conv2D1" of model.json'); // throws
 */
export function checkLayerClass(className: string, where: string): asserts className is SupportedLayer {
  if (!(SUPPORTED_LAYERS as readonly string[]).includes(className)) {
    const nested = ["Sequential", "Model", "Functional"].includes(className) ? " (a nested model)" : "";
    throw new UnsupportedModelError(
      `${where} is a ${className}${nested}, which gradlab check does not support; supported layers: ${SUPPORTED_LAYERS.join(", ")}`,
    );
  }
}

function activationOf(layer: tfl.layers.Layer, className: SupportedLayer): string | null {
  const config = layer.getConfig() as Record<string, unknown>;
  switch (className) {
    case "Dense":
    case "Activation":
      return typeof config.activation === "string" ? config.activation : "linear";
    case "ReLU":
      return "relu";
    case "LeakyReLU":
      return "leakyRelu";
    case "ELU":
      return "elu";
    case "Softmax":
      return "softmax";
    default:
      return null;
  }
}

/**
 * The model's layers in order, after checking that it is a chain of supported layers.
 * `source` (e.g. the model.json path) goes into every error.
 *
 * @example
 * const chain = layerChain(model, "model.json");
 * chain.map((l) => l.className); // ["Dense", "Dense", "Dense", "Dense"]
 */
export function layerChain(model: tfl.LayersModel, source: string): ChainLayer[] {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new UnsupportedModelError(`${source}: a model with ${model.inputs.length} inputs and ${model.outputs.length} outputs; gradlab check takes one input and one output`);
  }
  const layers = model.layers;
  const chain: ChainLayer[] = layers.map((layer, i) => {
    const className = layer.getClassName();
    checkLayerClass(className, `${source}: layer ${i + 1} "${layer.name}"`);
    return { index: i + 1, layer, name: layer.name, className, activation: activationOf(layer, className), dense: className === "Dense" };
  });
  // Functional models list their InputLayer; each other layer must be fed by the one before.
  for (let i = 1; i < chain.length; i++) {
    const inbound = chain[i]!.layer.inboundNodes.flatMap((n) => n.inboundLayers);
    if (inbound.length !== 1 || inbound[0] !== chain[i - 1]!.layer) {
      const from = inbound.map((l) => `"${l.name}"`).join(", ") || "nothing";
      throw new UnsupportedModelError(
        `${source}: layer ${i + 1} "${chain[i]!.name}" is fed by ${from}, not by the layer before it ("${chain[i - 1]!.name}"); gradlab check follows a chain of layers (no branches, merges or shared layers)`,
      );
    }
  }
  if (chain.length === 0 || model.outputs[0]!.sourceLayer !== chain[chain.length - 1]!.layer) {
    throw new UnsupportedModelError(`${source}: the model's output is not its last layer's; gradlab check follows a chain of layers`);
  }
  if (!chain.some((l) => l.dense)) throw new UnsupportedModelError(`${source}: no Dense layer, so there are no weights to check`);
  return chain;
}
