/**
 * Collecting a report's sources: the property suites (run now, or a report file), E1 (run
 * now on the full Fashion-MNIST when it is here, else the quick profile on the embedded
 * subset; or its fixture) and the other experiments' committed fixtures.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { BackendInfo } from "../backend/mod.ts";
import { findFashionMnist } from "../data/mod.ts";
import {
  experimentNamed,
  EXPERIMENTS,
  type Experiment,
  type ExperimentName,
  type ExperimentProgress,
  type Profile,
  type ResultBase,
  runExperiment,
} from "../experiments/mod.ts";
import { FIXTURES_DIR, fixturePath, readFixture } from "../golden/mod.ts";
import { readCheckedSeedsFixture, seedsFixturePath, type SeedsResult } from "../seeds/mod.ts";
import { LAWS, type PropertyReport, type PropertyResult, readPropertyReport, runProperties } from "../../properties/mod.ts";
import type { ReportInputs } from "./build.ts";
import { problemOf, readSource, type Source } from "./source.ts";

const fashionSigmoidVsRelu = experimentNamed("fashion-sigmoid-vs-relu");
const E1 = fashionSigmoidVsRelu.name as ExperimentName;

export interface GatherOptions {
  /** render from stored results only: fixtures, and a property report file if one is given or left by an earlier run */
  fromFixtures?: boolean;
  /** E1's quick profile even when the full Fashion-MNIST is here */
  quick?: boolean;
  /** fixtures directory (default: the repository's fixtures/) */
  fixturesDir?: string;
  /** a property report to read instead of running the suites */
  propertiesFile?: string;
  /** where a property report from an earlier run may be (used with fromFixtures), and where a new one is saved */
  savedPropertiesFile?: string;
  /** Fashion-MNIST directory (--data-dir) and the environment (GRADLAB_DATA_DIR) */
  dataDir?: string;
  env?: Record<string, string | undefined>;
  /** the seed for the property suites; E1 runs from `e1Seed` (default: the experiment's) */
  seed: () => number;
  e1Seed?: number;
  /** activates the backend for what runs now */
  useBackend: () => Promise<BackendInfo>;
  onPropertyProgress?: (done: number, total: number, result: PropertyResult) => void;
  onPropertiesStart?: (total: number) => void;
  onE1Start?: (profile: Profile, description: string) => void;
  onE1Progress?: (p: ExperimentProgress) => void;
  log?: (line: string) => void;
}

/**
 * Reads or runs every source of the report.
 *
 * @example
 * const inputs = await gatherInputs({ fromFixtures: true, seed: () => 1, useBackend: () => useBackend() });
 */
export async function gatherInputs(opts: GatherOptions): Promise<Omit<ReportInputs, "command">> {
  const log = opts.log ?? (() => {});
  const fashion = fashionMnistState(opts);
  let backend: BackendInfo | null = null;
  const activate = async () => (backend ??= await opts.useBackend());

  // Properties: a file given, a file left by an earlier run (with --from-fixtures), or a run now.
  let properties: Source<PropertyReport>;
  const saved = opts.savedPropertiesFile;
  if (opts.propertiesFile) {
    properties = readSource(opts.propertiesFile, () => readPropertyReport(opts.propertiesFile!), "file", null);
  } else if (opts.fromFixtures) {
    properties = saved && existsSync(saved)
      ? readSource(saved, () => readPropertyReport(saved), "file")
      : { status: "absent", note: `the property suites were not run (--from-fixtures) and there is no ${saved ?? "properties.json"} from an earlier run; run \`gradlab props\` (it writes report/properties.json), or \`gradlab report\` without --from-fixtures, or pass --properties FILE` };
  } else {
    await activate();
    properties = await runPropertySuites(opts);
  }
  if (properties.status === "ok") {
    properties = { ...properties, profile: properties.value.profile };
  }

  // E1: run now (full when the full set is here) or from its fixture.
  const experiments: Record<string, Source<ResultBase>> = {};
  if (opts.fromFixtures) {
    experiments[E1] = fixtureSource(E1, opts.quick ? ["quick"] : ["full", "quick"], opts.fixturesDir);
  } else {
    const profile: Profile = fashion.full && !opts.quick ? "full" : "quick";
    opts.onE1Start?.(profile, fashionSigmoidVsRelu.profiles[profile]);
    await activate();
    try {
      const value = await runExperiment(fashionSigmoidVsRelu, profile, {
        dataDir: opts.dataDir,
        env: opts.env,
        seed: opts.e1Seed,
        onProgress: opts.onE1Progress,
      });
      experiments[E1] = { status: "ok", value, origin: "run", file: null, profile, note: `${profile} profile, run now: ${fashionSigmoidVsRelu.profiles[profile]}` };
    } catch (error) {
      log(`E1 failed: ${(error as Error).message}`);
      experiments[E1] = { status: "failed", problem: problemOf(error, null) };
    }
  }

  // The others: their committed fixtures, the full profile when there is one.
  for (const e of EXPERIMENTS) {
    if (e.name === E1) continue;
    experiments[e.name] = fixtureSource(e.name as ExperimentName, ["full", "quick"], opts.fixturesDir);
  }
  const seeds: Record<string, Source<SeedsResult>> = {};
  for (const e of EXPERIMENTS) {
    const source = seedsFixtureSource(e, opts.fixturesDir);
    if (source) seeds[e.name] = source;
  }
  const b = backend as BackendInfo | null;
  return { properties, experiments, seeds, fashionMnist: fashion.record, backend: b ? { name: b.name, device: b.device } : null };
}

/** Whether the full Fashion-MNIST is here, and what to tell people about it. */
function fashionMnistState(opts: GatherOptions): { full: boolean; record: ReportInputs["fashionMnist"] } {
  // An explicit directory without the data throws: it is a mistake, never a reason to fall back.
  const found = findFashionMnist({ dataDir: opts.dataDir, env: opts.env });
  const get = "Get the full set with `apt-get install dataset-fashion-mnist` (Debian), or put the four IDX files in a directory and pass --data-dir DIR or GRADLAB_DATA_DIR.";
  if (found) {
    const used = opts.fromFixtures ? "E1 is drawn from its fixture (--from-fixtures)." : opts.quick ? "E1 ran its quick profile on the embedded subset anyway (--quick)." : "E1 ran its full profile on it.";
    return { full: true, record: { full: true, location: found.dir, note: `Found via ${found.via}. ${used}` } };
  }
  return {
    full: false,
    record: { full: false, location: null, note: `The full set is not installed here. E1 uses the quick profile on the embedded subset (600 train / 100 test images per class). ${get}` },
  };
}

/**
 * An experiment's fixture, the first of `profiles` that exists: absent when none does,
 * failed (with the file and the field) when one is unreadable or does not match its schema.
 */
export function fixtureSource(experiment: ExperimentName, profiles: Profile[], dir = FIXTURES_DIR): Source<ResultBase> {
  for (const profile of profiles) {
    const path = fixturePath(experiment, profile, dir);
    if (!existsSync(path)) continue;
    const file = relative(path);
    const source = readSource(file, () => {
      let fixture: ResultBase;
      try {
        fixture = readFixture(experiment, profile, dir) as unknown as ResultBase;
      } catch (error) {
        // readFixture names the absolute path; the report names it from the repository
        throw new Error((error as Error).message.split(path).join(file));
      }
      recheckClaims(fixture, file);
      return fixture;
    }, "fixture", profile);
    return source.status === "ok" ? { ...source, note: `from the committed fixture ${file} (${profile} profile)` } : source;
  }
  const id = EXPERIMENTS.find((e) => e.name === experiment)?.id ?? experiment;
  return {
    status: "absent",
    note: `no fixture for ${experiment} (${profiles.map((p) => relative(fixturePath(experiment, p, dir))).join(" or ")}); ` +
      `make one with \`gradlab fixtures regen --only ${id}\``,
  };
}

/**
 * An experiment's multi-seed fixture (full profile, else quick), when there is one; failed
 * when it does not check out (schema, the code's config, its judgement recomputed from its
 * per-seed summaries; src/seeds/fixture.ts).
 */
// deno-lint-ignore no-explicit-any
export function seedsFixtureSource(experiment: Experiment<any, any>, dir = FIXTURES_DIR): Source<SeedsResult> | undefined {
  for (const profile of ["full", "quick"] as const) {
    const path = seedsFixturePath(experiment, profile, dir);
    if (!existsSync(path)) continue;
    const file = relative(path);
    return readSource(file, () => {
      const { fixture, problems } = readCheckedSeedsFixture(experiment, profile, dir);
      if (problems.length || !fixture) throw new Error(problems.join("; ").split(path).join(file));
      return fixture;
    }, "fixture", profile);
  }
  return undefined;
}

/**
 * A fixture's claim verdicts are shown only when the code, applied to the fixture's own
 * config and series, reaches them again: a hand-edited `held` (or a fixture made by code
 * whose claims have changed since) fails its section, naming the claim's field.
 */
function recheckClaims(fixture: ResultBase, file: string): void {
  const experiment = experimentNamed(fixture.experiment);
  const recomputed = experiment.claims(fixture.config as Parameters<typeof experiment.claims>[0], fixture.series as Parameters<typeof experiment.claims>[1]);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const problems: string[] = [];
  if (recomputed.length !== fixture.claims.length) {
    problems.push(`/claims has ${fixture.claims.length} claims; the code makes ${recomputed.length} from the series (${recomputed.map((c) => c.id).join(", ")})`);
  }
  fixture.claims.forEach((stored, i) => {
    const now = recomputed[i];
    if (!now) return;
    if (stored.id !== now.id) problems.push(`/claims/${i}/id is ${JSON.stringify(stored.id)}; the code's claim ${i} is ${JSON.stringify(now.id)}`);
    else if (stored.held !== now.held) problems.push(`/claims/${i}/held says ${stored.held}, but the series gives ${now.held} (${now.id}: measured ${now.measured}, ${now.comparison} ${now.threshold})`);
    else if (!same(stored.measured, now.measured) || !same(stored.margin, now.margin)) {
      problems.push(`/claims/${i}/measured is ${stored.measured} (margin ${stored.margin}), but the series gives ${now.measured} (margin ${now.margin}) for ${now.id}`);
    }
  });
  if (problems.length) {
    throw new Error(
      `${file}: claims that do not follow from the fixture's own series (edited by hand, or made by other code; ` +
        `\`gradlab fixtures check\` shows the same, \`gradlab fixtures regen --only ${experiment.id}\` remakes it):\n  ${problems.join("\n  ")}`,
    );
  }
}

/** A path inside the repository relative to its root ("fixtures/…"); others as they are. */
function relative(path: string): string {
  const root = join(FIXTURES_DIR, "..") + "/";
  return path.startsWith(root) ? path.slice(root.length) : path;
}

async function runPropertySuites(opts: GatherOptions): Promise<Source<PropertyReport>> {
  let total = 0;
  try {
    const seed = opts.seed();
    const report = await runProperties({
      laws: LAWS,
      backends: "all",
      profile: "ci",
      seed,
      onStart: (_law, _backend, index, n) => {
        if (index === 0) opts.onPropertiesStart?.((total = n));
      },
      onResult: (result, index) => opts.onPropertyProgress?.(index + 1, total, result),
    });
    return { status: "ok", value: report, origin: "run", file: null, profile: "ci", note: "" };
  } catch (error) {
    return { status: "failed", problem: problemOf(error, null) };
  }
}
