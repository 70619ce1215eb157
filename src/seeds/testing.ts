/**
 * Synthetic multi-seed runs for tests: an identity, claims and seed summaries that pass the
 * schemas, with no training behind them.
 */
import { seedRule } from "./judge.ts";
import type { ClaimDefinition, SeedsIdentity, SeedsProvenance, SeedSummary } from "./seeds-schema.ts";

export const SYNTHETIC_CLAIMS: ClaimDefinition[] = [
  { id: "a-beats-b", statement: "a <beats> b & more", check: "acc(a) − acc(b) > 0", comparison: ">" },
  { id: "ratio-below-one", statement: "early gradients are smaller", check: "g1 / g5 < 1", comparison: "<" },
];

/** The identity of a synthetic run over `seeds`. */
export function syntheticIdentity(seeds: number[], experiment = "fashion-sigmoid-vs-relu"): SeedsIdentity {
  return {
    experiment,
    profile: "quick",
    seeds,
    rule: seedRule(),
    config: { experiment, profile: "quick", seed: seeds[0] },
    data: { source: { name: "none", sha256: "0", description: "synthetic" }, full: false, trainRows: 1, testRows: 1, features: 1, preprocessing: "none" },
    backend: { name: "wasm", device: "test", tfjsVersion: "4.22.0" },
    code: { commit: "abc" },
  };
}

/** A provenance that says which command made it. */
export function syntheticProvenance(command: string): SeedsProvenance {
  return { command, generatedAt: "2026-11-30T00:00:00.000Z", elapsedSeconds: 1, runtime: "test", host: "test", dirty: false };
}

/** A seed whose claims (SYNTHETIC_CLAIMS) had these margins; null: the measurement was not finite. */
export function syntheticSeed(seed: number, margins: (number | null)[]): SeedSummary {
  return {
    seed,
    claims: SYNTHETIC_CLAIMS.map((d, i) => {
      const m = margins[i] ?? null;
      return { id: d.id, measured: m, threshold: 0, held: m !== null && m > 0, margin: m };
    }),
    runs: [{ name: "a", iterations: 3, finalLossMean: 0.5, finalTestAccuracy: 0.25 }],
  };
}
