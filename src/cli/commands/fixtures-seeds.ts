/**
 * The multi-seed fixtures' part of `gradlab fixtures check|verify`: every selected
 * experiment × profile that has a <profile>.seeds.json is checked without training, or has a
 * sample of its seeds rerun (drawn from --seed, else a fresh seed that is printed).
 */
import { existsSync } from "node:fs";
import { backendHandle, useBackend } from "../../backend/mod.ts";
import type { Experiment, Profile } from "../../experiments/mod.ts";
import { checkSeedsFixture, seedsFixturePath, verifySeedsFixture } from "../../seeds/mod.ts";
import type { CommandContext, Output } from "../command.ts";
import type { FlagSpecs } from "../flags.ts";

type Selected = { experiment: Experiment; profile: Profile }[];

/** The flag that sizes the rerun. */
export const seedsSampleFlag = {
  seedsSample: {
    type: "integer",
    value: "K",
    default: 2,
    description: "verify: how many seeds of each multi-seed fixture (<profile>.seeds.json) to rerun, drawn from --seed (0: none)",
  },
} as const satisfies FlagSpecs;

/** The multi-seed fixtures among `selected`. */
function withSeeds(selected: Selected, dir?: string): Selected {
  return selected.filter(({ experiment, profile }) => existsSync(seedsFixturePath(experiment, profile, dir)));
}

/**
 * Checks every selected multi-seed fixture; returns how many had problems.
 */
export function checkSeedsFixtures(selected: Selected, dir: string | undefined, stdout: Output): number {
  let bad = 0;
  for (const { experiment, profile } of withSeeds(selected, dir)) {
    const problems = checkSeedsFixture(experiment, profile, dir);
    bad += problems.length ? 1 : 0;
    stdout.write(`${experiment.id} ${experiment.name}/${profile} over seeds: ${problems.length ? `PROBLEMS\n  ${problems.join("\n  ")}` : "schema, config, judgement and the single-seed fixture's seed check out"}\n`);
  }
  return bad;
}

/**
 * Reruns a sample of every selected multi-seed fixture's seeds; returns how many did not match.
 */
export async function verifySeedsFixtures(
  selected: Selected,
  opts: { dir?: string; backend?: string; count: number; dataDir?: string; mnistDir?: string; env: Record<string, string | undefined> },
  ctx: Pick<CommandContext<FlagSpecs>, "seed" | "stdout" | "stderr">,
): Promise<{ matched: number; bad: string[] }> {
  const todo = opts.count > 0 ? withSeeds(selected, opts.dir) : [];
  const out = { matched: 0, bad: [] as string[] };
  if (!todo.length) return out;
  const drawSeed = ctx.seed(); // printed when fresh, so the same sample can be drawn again
  for (const { experiment, profile } of todo) {
    const o = await verifySeedsFixture(experiment, profile, opts.count, drawSeed, {
      dir: opts.dir,
      dataDir: opts.dataDir,
      mnistDir: opts.mnistDir,
      env: opts.env,
      activate: async (fixtureBackend) => backendHandle((await useBackend(opts.backend ?? fixtureBackend)).name),
      onSeed: (seed, seconds) => ctx.stderr.write(`  seed ${seed} rerun in ${seconds} s\n`),
    });
    ctx.stdout.write(o.text + "\n");
    if (o.status === "match") out.matched++;
    else out.bad.push(`${experiment.name}/${profile} over seeds (${o.status})`);
  }
  return out;
}
