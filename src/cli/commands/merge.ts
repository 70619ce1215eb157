/** `gradlab merge SHARD... --out FILE`: shard files of one `run --seeds --shard` combined into its result. */
import { experimentNamed } from "../../experiments/mod.ts";
import { mergeShards, readShard } from "../../seeds/mod.ts";
import { defineCommand } from "../command.ts";
import { finishSeedsResult, processProvenance } from "./run-seeds.ts";

export const mergeCommand = defineCommand({
  name: "merge",
  summary: "combine the shard files of `run --seeds … --shard I/N` into the run's result, judged over every seed",
  args: "SHARD...",
  arity: [1, Infinity],
  flags: {
    out: { type: "string", value: "FILE", path: "file", output: "stdout", description: "write the result to FILE, whole (the same bytes as the unsharded run, `provenance` aside); - for standard output" },
    strict: { type: "boolean", description: "exit 1 when a claim is refuted over the seeds" },
    junit: { type: "string", value: "FILE", path: "file", output: "stdout", description: "also write the claims as JUnit XML: supported passes, refuted fails, inconclusive is skipped" },
  },
  async run({ args, flags, stdout, stderr }) {
    // Every file is read and checked, and the set refused or accepted, before anything is written.
    const files = args.map((path) => ({ path, shard: readShard(path) }));
    const result = mergeShards(files, processProvenance());
    let id: string;
    try {
      id = experimentNamed(result.experiment).id;
    } catch {
      id = result.experiment;
    }
    stderr.write(`merged ${files.length} shard${files.length > 1 ? "s" : ""}: ${result.perSeed.length} seeds\n`);
    return await finishSeedsResult(result, id, { ...flags, stdout, stderr });
  },
});
