/**
 * The measurement run kinds (every kind but `train`), by name, in the order the schema lists
 * them: the schema of a run as written and of the entries it stores. The experiment schema,
 * config and result schemas and the fields a `value` measure may read all follow from here.
 */
import { activationDerivativesResultSchema, activationDerivativesRunSchema } from "./activation-derivatives.ts";
import { glorotCheckResultSchema, glorotCheckRunSchema } from "./glorot-check.ts";
import { inputSeedOf, variancePairsResultSchema, variancePairsRunSchema } from "./variance-pairs.ts";

/**
 * Per kind: the schema of a run as written, of the entries it stores, and — for a kind that
 * draws its own inputs — the seed it draws them from given the run's seed (what decides
 * whether its seeds of a run over seeds share their data).
 */
export const MEASUREMENT_KINDS = {
  "variance-pairs": { run: variancePairsRunSchema, result: variancePairsResultSchema, inputSeed: inputSeedOf },
  "glorot-check": { run: glorotCheckRunSchema, result: glorotCheckResultSchema },
  "activation-derivatives": { run: activationDerivativesRunSchema, result: activationDerivativesResultSchema },
} as const;
export type MeasurementKind = keyof typeof MEASUREMENT_KINDS;

/**
 * The numeric fields of a kind's entries: what `value` and `values` measures read.
 *
 * @example
 * numericFields("glorot-check"); // ["forwardRatio", "backwardRatio"]
 */
export function numericFields(kind: MeasurementKind): string[] {
  const properties: Record<string, { type?: string }> = MEASUREMENT_KINDS[kind].result.items.properties;
  return Object.entries(properties).filter(([, p]) => p.type === "number").map(([k]) => k);
}
