/** `gradlab schema NAME`: prints a JSON Schema of gradlab's file formats, for editors and validators. */
import { trainFileSchema } from "./train.ts";
import { checkReportSchema } from "../../check/mod.ts";
import { experimentSchema } from "../../experiments/mod.ts";
import { standaloneSchema } from "../../golden/mod.ts";
import { runRecordSchema } from "../../run-files/mod.ts";
import { seedsResultSchema, seedsShardSchema } from "../../seeds/mod.ts";
import { defineCommand } from "../command.ts";
import { UsageError } from "../usage-error.ts";

/** The schemas `gradlab schema` prints, by name. */
export const PRINTED_SCHEMAS: Record<string, { what: string; schema: object }> = {
  experiment: { what: "an experiment file: runs, claims and profiles (gradlab run FILE; docs/experiment-files.md)", schema: experimentSchema },
  train: { what: "a train config file: {model, training, data} (gradlab train FILE)", schema: trainFileSchema },
  run: { what: "a training run as gradlab train --out writes it (gradlab plot RUN.json)", schema: runRecordSchema },
  seeds: { what: "claims judged over seeds: run --seeds --out, merge --out, fixtures/*/*.seeds.json", schema: seedsResultSchema },
  shard: { what: "one shard of a run over seeds: run --seeds --shard I/N --out (gradlab merge)", schema: seedsShardSchema },
  check: { what: "a gradient-flow diagnosis: gradlab check MODEL --json", schema: checkReportSchema },
};

/**
 * The schema's text as printed: two-space JSON and a newline.
 *
 * @example
 * schemaText("experiment"); // "{\n  \"$schema\": …"
 */
export function schemaText(name: string): string {
  const entry = PRINTED_SCHEMAS[name];
  if (!entry) throw new UsageError(`schema: unknown name ${JSON.stringify(name)}; one of ${Object.keys(PRINTED_SCHEMAS).join(", ")}`);
  return JSON.stringify(standaloneSchema(entry.schema), null, 2) + "\n";
}

export const schemaCommand = defineCommand({
  name: "schema",
  summary: `print the JSON Schema of a file format (${Object.keys(PRINTED_SCHEMAS).join(", ")}), e.g. for an editor's "$schema" or a validator`,
  args: Object.keys(PRINTED_SCHEMAS).join("|"),
  arity: [1, 1],
  flags: {},
  async run({ args, stdout }) {
    stdout.write(schemaText(args[0]!));
  },
});
