/**
 * Helpers for check's tests: the two nets of issue 15 built with tfjs-layers, and saving a
 * model as model.json + weights.bin with tfjs's own format functions. Not exported from mod.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";

/**
 * 784→64→64→64→10 with `activation` on the hidden layers and a linear output; kernels from
 * tfjs-layers' glorotNormal (its default for Dense) or heNormal, each seeded, biases zero.
 *
 * @example
 * const sigmoidNet = mlp784("sigmoid", "glorotNormal", 1);
 */
export function mlp784(activation: "sigmoid" | "relu" | "tanh", init: "glorotNormal" | "heNormal", seed: number): tfl.Sequential {
  const kernelInitializer = (i: number) => tfl.initializers[init]({ seed: seed * 100 + i });
  return tfl.sequential({
    layers: [
      ...[64, 64, 64].map((units, i) => tfl.layers.dense({ units, activation, kernelInitializer: kernelInitializer(i), ...(i === 0 ? { inputShape: [784] } : {}) })),
      tfl.layers.dense({ units: 10, kernelInitializer: kernelInitializer(3) }),
    ],
  });
}

/**
 * Saves `model` as `dir`/model.json and `dir`/weights.bin, as tfjs's file format has them; a
 * compiled model with its training config and optimizer weights (`includeOptimizer`).
 *
 * @example
 * await saveModelFiles(mlp784("relu", "heNormal", 1), "/tmp/relu");
 */
export async function saveModelFiles(model: tfl.LayersModel, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const manifest = [{ paths: ["weights.bin"], weights: artifacts.weightSpecs! }];
    const weights = new tf.io.CompositeArrayBuffer(artifacts.weightData!).slice();
    writeFileSync(join(dir, "weights.bin"), new Uint8Array(weights));
    const modelJson: tf.io.ModelJSON = {
      modelTopology: artifacts.modelTopology!,
      weightsManifest: manifest,
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    };
    writeFileSync(join(dir, "model.json"), JSON.stringify(modelJson));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }), { includeOptimizer: model.optimizer !== undefined && model.optimizer !== null });
  return join(dir, "model.json");
}
