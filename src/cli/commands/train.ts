/** `gradlab train CONFIG.json`: trains one model described by a config file and writes its result. */
import { readFileSync } from "node:fs";
import process from "node:process";
import type { FromSchema } from "json-schema-to-ts";
import { backendHandle, environment } from "../../backend/mod.ts";
import { activationLabel, checkTrainingFits, chooseEngine, type ModelSpec, modelSpecSchema, threadsFor, train, type TrainConfig, trainConfigSchema, validate } from "../../core/mod.ts";
import { checkDataDirs, dataSpecSchema, loadDataSpec } from "../../data/mod.ts";
import { writeOutput } from "../../output/mod.ts";
import { RUN_LOG_FORMAT } from "../../run-files/mod.ts";
import { defineCommand } from "../command.ts";
import { shellLine } from "../command-line.ts";
import { createProgress } from "../progress.ts";
import { runLogPath, streamRunLog } from "../run-log-writer.ts";
import { UsageError } from "../usage-error.ts";

/** A train config file: the model, the training config (its seed may come from --seed) and the data. */
export const trainFileSchema = {
  type: "object",
  properties: {
    model: modelSpecSchema,
    training: { ...trainConfigSchema, required: trainConfigSchema.required.filter((k) => k !== "seed") },
    data: dataSpecSchema,
  },
  required: ["model", "training", "data"],
  additionalProperties: false,
} as const;
type TrainFile = FromSchema<typeof trainFileSchema>;

function readConfig(path: string): TrainFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`${path}: cannot read: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not valid JSON: ${(e as Error).message}`);
  }
  return validate<TrainFile>(trainFileSchema, value, path);
}

export const trainCommand = defineCommand({
  name: "train",
  summary: "train one model from a config file ({model, training, data}) and print/write its result",
  args: "CONFIG.json",
  arity: [1, 1],
  flags: {
    out: { type: "string", value: "FILE", path: "file", output: "stdout", description: "write the result (config, data source, environment, series) as JSON; - for standard output (the epoch table then goes to stderr)" },
    log: { type: "string", value: "FILE", path: "file", output: true, description: "stream the run as JSON lines while it trains (header, recorded steps, epochs, then the stop or end); kept when training stops on NaN/Inf (default: beside --out, FILE.jsonl for FILE.json; none with --out -)" },
    noLog: { type: "boolean", description: "no run log beside --out" },
    dataDir: { type: "string", value: "DIR", path: "directory", description: "directory with Fashion-MNIST's IDX files (else GRADLAB_DATA_DIR, the Debian package, the embedded subset)" },
    mnistDir: { type: "string", value: "DIR", path: "directory", description: "directory with full MNIST IDX files (else GRADLAB_MNIST_DIR, else the mnist package's 10,000 digits)" },
    epochs: { type: "integer", description: "override training.epochs" },
    engine: { type: "string", choices: ["auto", "autodiff", "fast-dense"], default: "auto", description: "training engine (auto: fast-dense where it applies)" },
    threads: { type: "integer", description: "threads for the run, 1 or 2 (default: 2 for long file-order runs on wasm with a spare core; the results are the same bits)" },
  },
  async run({ flags, args, argv, global, stdout, stderr, useBackend, seed }) {
    if (flags.epochs !== undefined && flags.epochs < 0) throw new UsageError(`--epochs: expected an integer ≥ 0, got ${flags.epochs}`);
    if (flags.threads !== undefined && (flags.threads < 1 || flags.threads > 2)) throw new UsageError(`--threads: expected 1 or 2, got ${flags.threads}`);
    const file = readConfig(args[0]!);
    const logPath = runLogPath(flags);
    checkDataDirs({ dataDir: flags.dataDir, mnistDir: flags.mnistDir, env: process.env });
    const runSeed = global.seed ?? file.training.seed ?? seed();
    const config: TrainConfig = { ...file.training, seed: runSeed, ...(flags.epochs !== undefined ? { epochs: flags.epochs } : {}) };
    const model: ModelSpec = file.model;
    const info = await useBackend();
    const backend = backendHandle(info.name);
    try {
      checkTrainingFits(model, config, backend);
    } catch (error) {
      throw new Error(`${args[0]}: ${(error as Error).message}`);
    }
    let data;
    try {
      data = loadDataSpec(file.data, { dataDir: flags.dataDir, mnistDir: flags.mnistDir, env: process.env, seed: runSeed });
    } catch (error) {
      const message = (error as Error).message;
      throw new Error(message.startsWith("/data/") ? `${args[0]}: ${message}` : message);
    }
    const engine = chooseEngine({ backend, engine: flags.engine as "auto" });
    const threads = engine === "fast-dense" ? threadsFor(model, config, data.train.rows, flags.threads ?? "auto", backend) : 1;
    const hidden = model.layers.slice(0, -1).map((l) => activationLabel(l.activation));
    stderr.write(
      `gradlab: training ${model.inputSize}→${model.layers.map((l) => l.units).join("→")} (${[...new Set(hidden)].join(", ") || "linear"}) ` +
        `on ${data.source.name}: ${data.train.rows} train / ${data.test?.rows ?? 0} test rows (${data.source.location}); ` +
        `preprocessing ${data.preprocessing}; backend ${backend.name}, engine ${engine}, threads ${threads}, seed ${runSeed}\n`,
    );
    const perEpoch = Math.ceil(data.train.rows / config.batchSize);
    const progress = createProgress({ label: "train", total: Math.max(1, perEpoch * config.epochs), stream: stderr });
    const started = performance.now();
    const command = shellLine(["gradlab", ...argv]);
    const runData = { spec: file.data, source: data.source, preprocessing: data.preprocessing, trainRows: data.train.rows, testRows: data.test?.rows ?? 0 };
    const log = logPath === null ? null : streamRunLog(logPath, (s) => ({
      kind: "header", format: RUN_LOG_FORMAT, command, model, training: config, data: runData, environment: { ...environment(), seed: runSeed }, ...s,
    }));
    const result = await train(model, config, data, {
      backend,
      engine: flags.engine as "auto",
      threads: flags.threads ?? "auto",
      onProgress: (p) => progress.update(p.iteration + 1, `epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)}`),
      ...log?.hooks,
    }).catch((error) => {
      progress.done();
      if (log?.stop(error)) stderr.write(`gradlab: the run log ${log.path} ends with where training stopped; draw it with gradlab plot ${log.path}\n`);
      throw error;
    });
    progress.done();
    log?.end(result.iterations, (performance.now() - started) / 1000);
    const seconds = (performance.now() - started) / 1000;
    const lines = ["epoch  loss(sum)   loss(mean)  train acc  test loss  test acc"];
    for (const e of result.epochs) {
      const f = (v: number | undefined, d = 4) => (v === undefined ? "-" : v.toFixed(d));
      lines.push(
        `${String(e.epoch).padStart(5)}  ${f(e.lossSum).padStart(10)}  ${f(e.lossMean).padStart(10)}  ${f(e.trainAccuracy).padStart(9)}  ${f(e.testLoss).padStart(9)}  ${f(e.testAccuracy).padStart(8)}`,
      );
    }
    lines.push(`${result.iterations} iterations in ${seconds.toFixed(1)} s (${((seconds * 1000) / Math.max(1, result.iterations)).toFixed(2)} ms/iteration incl. evaluation)`);
    // With --out - the JSON alone goes to stdout.
    (flags.out === "-" ? stderr : stdout).write(lines.join("\n") + "\n");
    if (flags.out) {
      const record = {
        command,
        model,
        training: config,
        data: runData,
        environment: { ...environment(), seed: runSeed },
        seconds,
        result,
      };
      await writeOutput(flags.out, JSON.stringify(record, null, 1) + "\n", stdout);
      if (flags.out !== "-") stderr.write(`gradlab: wrote ${flags.out}\n`);
    }
    if (logPath) stderr.write(`gradlab: wrote the run log ${logPath}\n`);
  },
});
