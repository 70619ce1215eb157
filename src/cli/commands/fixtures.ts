/**
 * `gradlab fixtures verify|regen|check [FILE]`: rerun the experiments (E1–E6, or the
 * experiment file FILE) and compare with their golden fixtures, rewrite the fixtures (never in
 * CI), or check stored fixtures without rerunning. A file's fixtures live in `fixtures/` beside
 * it unless --fixtures-dir says otherwise.
 */
import process from "node:process";
import { EXPERIMENTS, type Experiment, experimentOf, type Profile, PROFILES } from "../../experiments/mod.ts";
import { checkDataDirs } from "../../data/mod.ts";
import { checkStored, type FixtureCommandOptions, fixturePath, fixturesDirOf, regenerate, selected, verify } from "../../fixtures/mod.ts";
import { checkOutputFile } from "../../output/mod.ts";
import { defineCommand, type Output } from "../command.ts";
import { checkInputPath } from "../input-path.ts";
import { createProgress, type Progress } from "../progress.ts";
import { UsageError } from "../usage-error.ts";
import { checkSeedsFixtures, seedsSampleFlag, verifySeedsFixtures } from "./fixtures-seeds.ts";

const ACTIONS = ["verify", "regen", "check"] as const;

function progressBars(stderr: Output): Pick<FixtureCommandOptions, "onStart" | "onProgress" | "onEnd"> {
  let bar: Progress | undefined;
  const label = (w: { experiment: Experiment; profile: Profile }) => `${w.experiment.id} ${w.experiment.name}/${w.profile}`;
  return {
    onStart: () => (bar = undefined),
    onProgress(what, p) {
      bar ??= createProgress({ label: label(what), total: p.total, stream: stderr });
      bar.update(p.done, p.run);
    },
    onEnd: () => bar?.done(),
  };
}

export const fixturesCommand = defineCommand({
  name: "fixtures",
  summary: "verify (rerun and compare), regen (rewrite; never in CI) or check (schema, config, claims) the golden fixtures of E1–E6 or of an experiment file",
  args: "verify|regen|check [FILE]",
  arity: [1, 2],
  flags: {
    only: { type: "string", value: "E,…", description: `experiments by name or id, comma-separated (default: all: ${EXPERIMENTS.map((e) => e.id).join(" ")})` },
    profile: { type: "string", choices: PROFILES, description: "only this profile (default: verify and check: quick; regen: quick and full)" },
    dataDir: { type: "string", value: "DIR", path: "directory", description: "Fashion-MNIST IDX files (default: GRADLAB_DATA_DIR, /usr/share/datasets/fashion-mnist)" },
    mnistDir: { type: "string", value: "DIR", path: "directory", description: "full MNIST IDX files (default: GRADLAB_MNIST_DIR, else the mnist package)" },
    fixturesDir: { type: "string", value: "DIR", path: "directory", description: "where the fixtures are, as DIR/NAME/PROFILE.json (default: the repository's fixtures/; for FILE, fixtures/ beside it)" },
    ...seedsSampleFlag,
  },
  async run({ args, flags, global, stdout, stderr, seed }) {
    const action = args[0] as (typeof ACTIONS)[number];
    if (!ACTIONS.includes(action)) throw new UsageError(`fixtures: expected one of ${ACTIONS.join(", ")}, got ${JSON.stringify(args[0])}`);
    const only = flags.only ? flags.only.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
    if (args[1] !== undefined && only) throw new UsageError("fixtures: give either FILE or --only, not both");
    // an experiment file is read and checked whole here, before anything runs
    const experiments = args[1] === undefined ? undefined : [experimentOf(args[1])];
    const profiles = flags.profile ? [flags.profile as Profile] : action === "regen" ? [...PROFILES] : ["quick" as const];
    const opts: FixtureCommandOptions = {
      only,
      experiments,
      profiles,
      dir: flags.fixturesDir,
      backend: global.backend,
      dataDir: flags.dataDir,
      mnistDir: flags.mnistDir,
      env: process.env,
      log: (line) => stdout.write(line + "\n"),
      ...progressBars(stderr),
    };
    try {
      selected(opts);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (global.seed !== undefined && action !== "verify") throw new UsageError("fixtures: --seed does not apply: fixtures are made with each experiment's default seed (verify takes it to draw the seeds it reruns of a multi-seed fixture)");
    if (flags.seedsSample < 0) throw new UsageError(`--seeds-sample: expected an integer ≥ 0, got ${flags.seedsSample}`);
    checkDataDirs({ dataDir: flags.dataDir, mnistDir: flags.mnistDir, env: process.env });
    if (action !== "regen" && flags.fixturesDir !== undefined) checkInputPath(flags.fixturesDir, "--fixtures-dir", "directory");
    if (action === "regen") {
      for (const { experiment, profile } of selected(opts)) checkOutputFile(fixturePath(experiment.name, profile, fixturesDirOf(experiment, opts.dir)), flags.fixturesDir ? "--fixtures-dir" : "fixture");
    }

    if (action === "check") {
      let bad = 0;
      for (const { experiment, profile } of selected(opts)) {
        const problems = checkStored(experiment, profile, opts.dir);
        bad += problems.length ? 1 : 0;
        stdout.write(`${experiment.id} ${experiment.name}/${profile}: ${problems.length ? `PROBLEMS\n${problems.join("\n")}` : "schema, config, summary and claims check out"}\n`);
      }
      bad += checkSeedsFixtures(selected(opts), opts.dir, stdout);
      return bad ? 1 : 0;
    }
    if (action === "regen") {
      const outcomes = await regenerate(opts);
      const refused = outcomes.filter((o) => o.status === "refused");
      stdout.write(`${outcomes.length - refused.length} written, ${refused.length} refused\n`);
      return refused.length ? 1 : 0;
    }
    const outcomes = await verify(opts);
    const seeds = await verifySeedsFixtures(selected(opts), { ...opts, backend: global.backend, count: flags.seedsSample, env: process.env }, { seed, stdout, stderr });
    const bad = [...outcomes.filter((o) => o.status !== "match").map((o) => `${o.experiment}/${o.profile} (${o.status})`), ...seeds.bad];
    const total = outcomes.length + seeds.matched + seeds.bad.length;
    stdout.write(`${total - bad.length}/${total} fixtures match${bad.length ? `; not: ${bad.join(", ")}` : ""}\n`);
    return bad.length ? 1 : 0;
  },
});
