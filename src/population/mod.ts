/**
 * The population engine: many models of one architecture trained at once, each replica's
 * result the one `train` gives for its config. See docs/population.md.
 *
 * @example
 * import { trainPopulation } from "../population/mod.ts";
 * const { engine, replicas } = await trainPopulation(spec, seeds.map((seed) => ({ ...config, seed })), data, { backend });
 */
export { checkPopulationConfigs, REPLICA_FIELDS } from "./population-configs.ts";
export {
  type PopulationEngineName, type PopulationProgress, type PopulationResult, type ReplicaOutcome, trainedResults,
} from "./replica-outcome.ts";
export { populationEngine, type PopulationOptions, replicasThatFit, trainPopulation } from "./train-population.ts";
