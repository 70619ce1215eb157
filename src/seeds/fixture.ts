/**
 * Multi-seed fixtures: fixtures/<experiment>/<profile>.seeds.json, a result file of
 * `run --seeds` kept as a golden record. `checkSeedsFixture` rereads one without training
 * (schema, the code's config, the judgement recomputed from the per-seed summaries, and the
 * seed the single-seed fixture ran); `verifySeedsFixture` reruns a sample of its seeds,
 * drawn from one printed seed, and compares their summaries bit for bit on the fixture's
 * own backend (a rerun on another backend differs in the last bits and proves nothing here).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Backend, chosenBackend } from "../backend/mod.ts";
import { Rng } from "../core/mod.ts";
import type { Experiment, Profile, ResultBase, RunContext } from "../experiments/mod.ts";
import { firstDifference, fixturePath, fixturesDirOf, readFixture } from "../golden/mod.ts";
import { judgeClaims, seedRule, seedSummaryOf } from "./judge.ts";
import { readSeedsResult } from "./merge.ts";
import { runSeeds } from "./run-seeds.ts";
import type { SeedsResult } from "./seeds-schema.ts";

/**
 * Where an experiment's multi-seed fixture for a profile lives: beside its single-seed
 * fixture (`dir`, else golden's fixturesDirOf: the repository's fixtures/, or the fixtures/
 * beside an experiment file read from elsewhere).
 *
 * @example
 * seedsFixturePath(fashionSigmoidVsRelu, "full"); // ".../fixtures/fashion-sigmoid-vs-relu/full.seeds.json"
 */
export function seedsFixturePath(experiment: Pick<Experiment, "file" | "name">, profile: Profile, dir?: string): string {
  return join(fixturesDirOf(experiment, dir), experiment.name, `${profile}.seeds.json`);
}

/** Problems where `stored` and `expected` differ, as "what: path: a vs b". */
function differs(what: string, stored: unknown, expected: unknown, path: string): string[] {
  return JSON.stringify(stored) === JSON.stringify(expected) ? [] : [`${what}: ${firstDifference(stored, expected, path) ?? path}`];
}

/**
 * The problems of a stored multi-seed fixture, found without training ([] when it checks out).
 *
 * @example
 * checkSeedsFixture(fashionSigmoidVsRelu, "full"); // []
 */
// deno-lint-ignore no-explicit-any
export function checkSeedsFixture(experiment: Experiment<any, any>, profile: Profile, dir?: string): string[] {
  return readCheckedSeedsFixture(experiment, profile, dir).problems;
}

/**
 * A stored multi-seed fixture read once, with its problems (as `checkSeedsFixture`); `fixture`
 * is absent when the file cannot be read or fails its schema.
 *
 * @example
 * const { fixture, problems } = readCheckedSeedsFixture(fashionSigmoidVsRelu, "full");
 */
export function readCheckedSeedsFixture(
  // deno-lint-ignore no-explicit-any
  experiment: Experiment<any, any>,
  profile: Profile,
  dir?: string,
): { fixture?: SeedsResult; problems: string[] } {
  const path = seedsFixturePath(experiment, profile, dir);
  let f: SeedsResult;
  try {
    f = readSeedsResult(path);
  } catch (e) {
    return { problems: [(e as Error).message] };
  }
  return { fixture: f, problems: fixtureProblems(experiment, profile, f, path, dir) };
}

/** What `checkSeedsFixture` finds in a multi-seed fixture `f` read from `path`. */
// deno-lint-ignore no-explicit-any
function fixtureProblems(experiment: Experiment<any, any>, profile: Profile, f: SeedsResult, path: string, dir?: string): string[] {
  const problems = [
    ...differs("experiment and profile", [f.experiment, f.profile], [experiment.name, profile], "[experiment, profile]"),
    ...differs("not the code's config", f.config, experiment.config(profile, f.seeds[0]!), "config"),
    ...differs("not the rule the code states", f.rule, seedRule(), "rule"),
    ...differs("seeds stored are not the seed list", f.perSeed.map((s) => s.seed), f.seeds, "perSeed[].seed"),
  ];
  if (profile === "full" && !f.data.full) problems.push(`a full profile computed on ${f.data.source.name} with ${f.data.trainRows}/${f.data.testRows} rows, not the full data set`);
  try {
    problems.push(...differs("claims are not what the per-seed summaries give", f.claims, judgeClaims(f.claims.map(({ id, statement, check, comparison }) => ({ id, statement, check, comparison })), f.perSeed), "claims"));
  } catch (e) {
    problems.push(`claims: ${(e as Error).message}`);
  }
  // The single-seed fixture's seed, when it is among these, must be the same numbers.
  const single = fixturePath(experiment.name, profile, fixturesDirOf(experiment, dir));
  if (existsSync(single)) {
    let one: ResultBase | undefined;
    try {
      one = readFixture(experiment, profile, dir) as unknown as ResultBase;
    } catch (e) {
      problems.push(`its seeds cannot be compared with the single-seed fixture: ${(e as Error).message}`);
    }
    const i = one ? f.seeds.indexOf(one.config.seed) : -1;
    if (one && i !== -1 && one.environment.backend === f.backend.name) {
      problems.push(...differs(`seed ${one.config.seed} differs from ${single}`, f.perSeed[i], seedSummaryOf(one), `perSeed[${i}]`));
    }
  }
  return problems.map((p) => `${path}: ${p}`);
}

/** What a verification of a multi-seed fixture found. */
export interface SeedsVerifyOutcome {
  path: string;
  status: "match" | "mismatch" | "missing" | "invalid";
  /** the seeds rerun */
  seeds: number[];
  text: string;
}

/**
 * Draws `count` of `seeds` without replacement from `drawSeed` (Fisher–Yates on the core's Rng).
 *
 * @example
 * sampleSeeds([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 2, 1234); // two of them, the same two for 1234
 */
export function sampleSeeds(seeds: readonly number[], count: number, drawSeed: number): number[] {
  const order = new Rng(drawSeed).fork("seed sample").permutation(seeds.length);
  return Array.from(order.slice(0, Math.min(count, seeds.length))).sort((a, b) => a - b).map((i) => seeds[i]!);
}

/**
 * Reruns `count` seeds of a multi-seed fixture, drawn from `drawSeed`, on the fixture's
 * backend, and compares their summaries bit for bit. `opts.activate`, given the fixture's
 * backend name, chooses the backend to rerun on (the CLI activates it); else `opts.runsOn` or
 * the active one, which must be the fixture's.
 *
 * @example
 * await useBackend("wasm");
 * const out = await verifySeedsFixture(fashionSigmoidVsRelu, "full", 2, 1234);
 */
export async function verifySeedsFixture(
  // deno-lint-ignore no-explicit-any
  experiment: Experiment<any, any>,
  profile: Profile,
  count: number,
  drawSeed: number,
  opts: Omit<RunContext, "onProgress"> & {
    dir?: string;
    runsOn?: Backend;
    activate?: (fixtureBackend: string) => Promise<Backend>;
    onSeed?: (seed: number, seconds: number) => void;
  } = {},
): Promise<SeedsVerifyOutcome> {
  const path = seedsFixturePath(experiment, profile, opts.dir);
  if (!existsSync(path)) return { path, status: "missing", seeds: [], text: `${path}: no such multi-seed fixture` };
  let f: SeedsResult;
  try {
    f = readSeedsResult(path);
  } catch (e) {
    return { path, status: "invalid", seeds: [], text: (e as Error).message };
  }
  const runsOn = opts.activate ? await opts.activate(f.backend.name) : opts.runsOn ?? chosenBackend();
  const backend = runsOn.name;
  if (backend !== f.backend.name) {
    return { path, status: "invalid", seeds: [], text: `${path}: made on ${f.backend.name}; a bitwise rerun needs the same backend, not ${backend} (--backend ${f.backend.name})` };
  }
  const seeds = sampleSeeds(f.seeds, count, drawSeed);
  const { activate: _, ...context } = opts;
  const run = await runSeeds(experiment, profile, f.seeds, seeds, { ...context, runsOn, onSeed: (s, seconds) => opts.onSeed?.(s.seed, seconds) });
  const problems = run.perSeed.flatMap((s) => differs(`seed ${s.seed}`, s, f.perSeed[f.seeds.indexOf(s.seed)], `perSeed[seed ${s.seed}]`));
  problems.push(...differs("the run's data", run.identity.data, f.data, "data"));
  const title = `${experiment.id} ${experiment.name}/${profile} over seeds: reran seeds ${seeds.join(", ")} of ${f.seeds.length} (drawn with seed ${drawSeed})`;
  return problems.length
    ? { path, status: "mismatch", seeds, text: `${title}: MISMATCH\n  ${problems.join("\n  ")}` }
    : { path, status: "match", seeds, text: `${title}: bitwise equal to ${path}` };
}
