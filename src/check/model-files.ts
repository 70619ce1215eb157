/**
 * Loading a tfjs-layers model saved as model.json + weight files (the format of
 * `model.save(...)` and of the tensorflowjs converter) with tfjs-layers' own loader
 * (`tf.loadLayersModel` through an IOHandler that reads the files). model.json is checked
 * first: its fields, its layer classes (those `check` supports) and the sizes of the weight
 * files its manifest lists, each error naming the file.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { validate } from "../core/mod.ts";
import { checkLayerClass } from "./layer-chain.ts";

const modelJsonSchema = {
  type: "object",
  properties: {
    modelTopology: { type: "object" },
    weightsManifest: {
      type: "array",
      items: {
        type: "object",
        properties: {
          paths: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
          weights: {
            type: "array",
            items: {
              type: "object",
              properties: {
                name: { type: "string" },
                shape: { type: "array", items: { type: "integer", minimum: 0 } },
                dtype: { enum: ["float32", "int32", "bool", "complex64", "string"] },
                quantization: { type: "object", properties: { dtype: { enum: ["uint8", "uint16", "float16"] } }, required: ["dtype"] },
              },
              required: ["name", "shape", "dtype"],
            },
          },
        },
        required: ["paths", "weights"],
      },
    },
  },
  required: ["modelTopology", "weightsManifest"],
} as const;

interface ManifestGroup {
  paths: string[];
  weights: { name: string; shape: number[]; dtype: string; quantization?: { dtype: string } }[];
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

/** The layers a topology lists, with their class names, wherever the format puts them. */
function topologyLayers(topology: Record<string, unknown>): { className: string; name: string }[] {
  const model = (topology.model_config ?? topology) as { class_name?: string; config?: unknown };
  const config = model.config as { layers?: unknown } | unknown[] | undefined;
  const layers = Array.isArray(config) ? config : (config as { layers?: unknown } | undefined)?.layers;
  if (!Array.isArray(layers)) return [];
  return layers.map((l: { class_name?: unknown; config?: { name?: unknown } }) => ({ className: String(l?.class_name), name: String(l?.config?.name ?? "") }));
}

/**
 * Reads and checks model.json, reads its weight files, and builds the model with
 * `tf.loadLayersModel`. Weight paths are relative to model.json's directory.
 *
 * @example
 * const model = await loadModelFiles("models/mlp/model.json");
 */
export async function loadModelFiles(path: string): Promise<tfl.LayersModel> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`${path}: cannot read: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not valid JSON: ${(e as Error).message}`);
  }
  const modelJson = validate<{ modelTopology: Record<string, unknown>; weightsManifest: ManifestGroup[] }>(modelJsonSchema, json, `${path} (a tfjs-layers model.json)`);
  topologyLayers(modelJson.modelTopology).forEach((l, i) => checkLayerClass(l.className, `${path}: layer ${i + 1} "${l.name}"`));
  const files = modelJson.weightsManifest.map((group, g) => {
    const expected = group.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * (BYTES[w.quantization?.dtype ?? w.dtype] ?? NaN), 0);
    const paths = group.paths.map((p) => {
      if (isAbsolute(p) || /^[a-z]+:\/\//i.test(p)) throw new Error(`${path}: weightsManifest/${g}/paths lists ${p}; expected a path relative to model.json's directory`);
      return join(dirname(path), p);
    });
    const sizes = paths.map((p) => {
      try {
        return statSync(p).size;
      } catch (e) {
        throw new Error(`${p} (listed in ${path}): cannot read: ${(e as Error).message}`);
      }
    });
    const total = sizes.reduce((a, b) => a + b, 0);
    if (Number.isFinite(expected) && total !== expected) {
      throw new Error(`${paths.join(" + ")}: ${total} bytes, but ${path}'s manifest (group ${g}: ${group.weights.length} weights) needs ${expected}`);
    }
    return paths;
  });
  const handler: tf.io.IOHandler = {
    load: () =>
      tf.io.getModelArtifactsForJSON(json as tf.io.ModelJSON, async (manifest) => [
        tf.io.getWeightSpecs(manifest),
        files.flat().map((p) => {
          const bytes = readFileSync(p);
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        }),
      ]),
  };
  try {
    return await tfl.loadLayersModel(handler);
  } catch (e) {
    throw new Error(`${path}: tfjs-layers could not load the model: ${(e as Error).message}`);
  }
}
