/**
 * The one JSON Schema of an environment record (environment.ts): where a result was computed.
 * Every record that stores one (experiment results and fixtures, the report, the property
 * report, run logs) takes its fields from here, all of them or some (`environmentFields`).
 */

export const environmentSchema = {
  $id: "gradlab/environment",
  type: "object",
  description: "Where a result was computed: the backend and its device, the runtime and tfjs versions, the platform (src/backend's environment()).",
  properties: {
    backend: { enum: ["cpu", "wasm", "webgpu", "tensorflow", "tensorflow-gpu"] },
    device: { type: "string", description: "the backend's device description" },
    runtime: { enum: ["bun", "deno", "node"] },
    runtimeVersion: { type: "string" },
    tfjsVersion: { type: "string", description: "tfjs-core's version" },
    platform: { type: "string" },
    arch: { type: "string" },
    threads: { type: "integer", description: "threads the backend computes with, where it says" },
  },
  required: ["backend", "device", "runtime", "runtimeVersion", "tfjsVersion", "platform", "arch"],
  additionalProperties: false,
} as const;

type Field = keyof typeof environmentSchema.properties;

/**
 * The environment schema cut to some fields, every one of them required.
 *
 * @example
 * environmentFields(["runtime", "runtimeVersion"]); // { type: "object", properties: { runtime: …, runtimeVersion: … }, required: [...] }
 */
export function environmentFields<const K extends readonly Field[]>(keys: K, description: string = environmentSchema.description) {
  const properties = Object.fromEntries(keys.map((k) => [k, environmentSchema.properties[k]])) as { [P in K[number]]: (typeof environmentSchema.properties)[P] };
  return { type: "object", description, properties, required: keys, additionalProperties: false } as const;
}
