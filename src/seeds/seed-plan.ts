/**
 * Which seeds a multi-seed run covers. `--seeds N` takes N consecutive seeds from one base
 * seed (`--seed`, else the experiment's default), so the whole list is repeated by passing
 * that one printed number back; `--seeds A..B` names the range itself. Consecutive seeds are
 * independent draws here: every seed goes through splitmix32 before it is used
 * (src/core/random.ts), which maps neighbours far apart.
 */
import { checkSeed } from "../core/mod.ts";

/** The seeds of a multi-seed run, in the order their results are stored. */
export interface SeedPlan {
  seeds: number[];
  /** how the plan was given, for people: "8 seeds from base seed 0" */
  description: string;
}

/** More seeds than this in one run is a typing error, not a plan (each seed trains every run). */
export const MAX_SEEDS = 100_000;

/**
 * Parses `--seeds`: a count N (seeds base … base + N − 1) or a range A..B (inclusive).
 *
 * @example
 * seedPlan("4", 10).seeds;    // [10, 11, 12, 13]
 * seedPlan("3..5", 0).seeds;  // [3, 4, 5]
 */
export function seedPlan(spec: string, base: number, flag = "--seeds"): SeedPlan {
  const text = spec.trim();
  const range = /^(\d+)\.\.(\d+)$/.exec(text);
  let first: number, count: number, description: string;
  if (range) {
    first = checkSeed(Number(range[1]), `${flag} ${text}: the first seed`);
    const last = checkSeed(Number(range[2]), `${flag} ${text}: the last seed`);
    if (last < first) throw new RangeError(`${flag} ${text}: expected A..B with A ≤ B`);
    count = last - first + 1;
    description = `seeds ${first}..${last}`;
  } else if (/^\d+$/.test(text)) {
    count = Number(text);
    first = checkSeed(base, "base seed");
    if (count < 1) throw new RangeError(`${flag} ${text}: expected at least 1 seed`);
    if (first + count - 1 > 0xffffffff) throw new RangeError(`${flag} ${text}: base seed ${first} + ${count} seeds passes 4294967295`);
    description = `${count} seed${count === 1 ? "" : "s"} from base seed ${first} (${first}..${first + count - 1})`;
  } else {
    throw new RangeError(`${flag}: expected a count N or a range A..B of seeds, got ${JSON.stringify(spec)}`);
  }
  if (count > MAX_SEEDS) throw new RangeError(`${flag} ${text}: ${count} seeds; at most ${MAX_SEEDS} in one run`);
  return { seeds: Array.from({ length: count }, (_, i) => first + i), description };
}
