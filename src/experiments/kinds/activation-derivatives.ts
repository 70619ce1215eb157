/**
 * The run kind `activation-derivatives` (E2, source 003): f'(x) by tfjs autodiff on a grid,
 * for each activation: its maximum, where it is reached, and its values at both ends.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { FromSchema } from "json-schema-to-ts";
import { activate, activationLabel, activationSchema } from "../../core/mod.ts";

/** An `activation-derivatives` run, as written in an experiment file and stored in its config. */
export const activationDerivativesRunSchema = {
  type: "object",
  properties: {
    kind: { const: "activation-derivatives" },
    description: { type: "string" },
    activations: { type: "array", items: activationSchema, minItems: 1 },
    grid: {
      type: "object",
      description: "x_i = (i + min·stepsPerUnit) / stepsPerUnit for i = 0 … (max − min)·stepsPerUnit, rounded to float32",
      properties: {
        min: { type: "integer" },
        max: { type: "integer" },
        stepsPerUnit: { type: "integer", minimum: 1 },
      },
      required: ["min", "max", "stepsPerUnit"],
      additionalProperties: false,
    },
  },
  required: ["kind", "description", "activations", "grid"],
  additionalProperties: false,
} as const;
export type ActivationDerivativesRun = FromSchema<typeof activationDerivativesRunSchema>;

/** What an `activation-derivatives` run stores: one entry per activation. */
export const activationDerivativesResultSchema = {
  type: "array",
  description: "f'(x) by tfjs autodiff on the grid",
  items: {
    type: "object",
    properties: {
      activation: { type: "string" },
      max: { type: "number" },
      argmax: { type: "number" },
      atMin: { type: "number", description: "f' at the grid's first point" },
      atMax: { type: "number", description: "f' at the grid's last point" },
    },
    required: ["activation", "max", "argmax", "atMin", "atMax"],
    additionalProperties: false,
  },
} as const;
export type ActivationDerivativesResult = FromSchema<typeof activationDerivativesResultSchema>;

/** The labels of the entries a run will produce, for checking claims before anything runs. */
export function activationDerivativesEntries(run: ActivationDerivativesRun): Record<string, string>[] {
  return run.activations.map((a) => ({ activation: activationLabel(a) }));
}

/**
 * Differentiates each activation by tfjs autodiff on the grid (the first maximum wins).
 *
 * @example
 * await runActivationDerivatives({ kind: "activation-derivatives", description: "", activations: [{ name: "sigmoid" }], grid: { min: -10, max: 10, stepsPerUnit: 100 } });
 * // [{ activation: "sigmoid", max: 0.25, argmax: 0, … }]
 */
export async function runActivationDerivatives(run: ActivationDerivativesRun): Promise<ActivationDerivativesResult> {
  const { min, max, stepsPerUnit: n } = run.grid;
  if (max <= min) throw new Error(`activation-derivatives: grid max ${max} must be above min ${min}`);
  const grid = Float32Array.from({ length: (max - min) * n + 1 }, (_, i) => (i + min * n) / n);
  const out: ActivationDerivativesResult = [];
  for (const spec of run.activations) {
    const d = tf.tidy(() => tf.grad((x: tf.Tensor) => activate(spec, x))(tf.tensor1d(grid)));
    const v = await d.data();
    d.dispose();
    let k = 0;
    for (let i = 1; i < v.length; i++) if (v[i] > v[k]) k = i;
    out.push({ activation: activationLabel(spec), max: v[k], argmax: grid[k], atMin: v[0], atMax: v[v.length - 1] });
  }
  return out;
}
