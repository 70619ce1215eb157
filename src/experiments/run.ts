/**
 * Running a named experiment: its config for a profile (and seed) → its result, on the
 * active backend, with the environment recorded and every claim checked.
 */
import { environment } from "../backend/mod.ts";
import type { ConfigBase, Experiment, ResultBase, RunContext } from "./experiment.ts";
import type { Profile } from "./result.ts";

/**
 * Runs an experiment's config and returns its result (plain data). The backend must have
 * been chosen (`useBackend`) before.
 *
 * @example
 * await useBackend("wasm");
 * const result = await runConfig(initVariance, initVariance.config("quick"), {});
 */
export async function runConfig<C extends ConfigBase, R extends ResultBase<C>>(
  experiment: Experiment<C, R>,
  config: C,
  ctx: RunContext = {},
): Promise<R> {
  if (config.experiment !== experiment.name) {
    throw new Error(`config is for experiment ${config.experiment}, not ${experiment.name}`);
  }
  const env = environment();
  const out = await experiment.run(config, ctx);
  const result = {
    experiment: experiment.name,
    profile: config.profile,
    config,
    data: out.data,
    environment: { ...env, seed: config.seed },
    series: out.series,
    summary: experiment.summarize(config, out.series),
    claims: experiment.claims(config, out.series),
  };
  return result as unknown as R;
}

/**
 * Runs an experiment's profile with its default seed or the given one.
 *
 * @example
 * const r = await runExperiment(fashionSigmoidVsRelu, "quick");
 * r.claims.filter((c) => !c.held); // what did not hold
 */
export function runExperiment<C extends ConfigBase, R extends ResultBase<C>>(
  experiment: Experiment<C, R>,
  profile: Profile,
  options: RunContext & { seed?: number } = {},
): Promise<R> {
  return runConfig(experiment, experiment.config(profile, options.seed ?? experiment.defaultSeed), options);
}
