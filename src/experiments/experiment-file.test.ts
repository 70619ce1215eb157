import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { experimentSchema, mergePatch } from "./definition.ts";
import { Ajv } from "ajv";
import { definitionProblems, ExperimentFileError, experimentFromDefinition, readExperimentFile } from "./experiment-file.ts";
import { EXPERIMENTS, EXPERIMENTS_DIR } from "./builtin.ts";
import { standaloneSchema } from "../golden/mod.ts";

const example = new URL("../../examples/experiments/sigmoid-depth.json", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "gradlab-experiment-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test("mergePatch follows RFC 7386's examples (appendix A)", () => {
  const cases: [unknown, unknown, unknown][] = [
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [["a", "b"], ["c", "d"], ["c", "d"]],
    [{ a: "b" }, ["c"], ["c"]],
    [{ a: "foo" }, null, null],
    [{ a: "foo" }, "bar", "bar"],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: "b", c: null }, { a: "b" }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, want] of cases) assert.equal(mergePatch(target, patch), want, JSON.stringify([target, patch]));
});

test("experiments/experiment.schema.json is what `gradlab schema experiment` prints, and every file names it", () => {
  const committed = JSON.parse(readFileSync(join(EXPERIMENTS_DIR, "experiment.schema.json"), "utf8"));
  assert.equal(committed, JSON.parse(JSON.stringify(standaloneSchema(experimentSchema))), "regenerate it: gradlab schema experiment > experiments/experiment.schema.json");
  for (const e of EXPERIMENTS) assert.is(JSON.parse(readFileSync(e.file!, "utf8")).$schema, "./experiment.schema.json", e.name);
  assert.is(JSON.parse(readFileSync(example, "utf8")).$schema, "../../experiments/experiment.schema.json");
});

test("E1–E6 and the example are usable experiment files", () => {
  assert.equal(EXPERIMENTS.map((e) => e.id), ["E1", "E2", "E3", "E4", "E5", "E6"]);
  for (const e of EXPERIMENTS) assert.equal(definitionProblems(JSON.parse(readFileSync(e.file!, "utf8"))), [], e.name);
  assert.equal(definitionProblems(JSON.parse(readFileSync(example, "utf8"))), []);
});

// Before: the result schema followed the quick profile's runs only, so a full result with a
// measurement run that only the full profile adds was refused as a fixture (series.derivs: additional property).
test("a run only one profile has is in the result schema: allowed, and required only where every profile has it", () => {
  const d = JSON.parse(readFileSync(example, "utf8"));
  const derivs = { kind: "activation-derivatives", description: "σ′ on a coarse grid", activations: [{ name: "sigmoid" }], grid: { min: -2, max: 2, stepsPerUnit: 2 } };
  d.profiles.full.patch = mergePatch(d.profiles.full.patch ?? {}, { runs: { derivs } });
  assert.equal(definitionProblems(d), []);
  const e = experimentFromDefinition(d);
  assert.equal(e.config("full").runs.map((r) => r.name), [...e.config("quick").runs.map((r) => r.name), "derivs"]);
  const series = new Ajv({ strict: false }).compile((e.resultSchema as { properties: { series: object } }).properties.series);
  const entry = { activation: "sigmoid", max: 0.25, argmax: 0, atMin: 0.1, atMax: 0.1 };
  assert.ok(series({ runs: [], derivs: [entry] }), JSON.stringify(series.errors));
  assert.ok(series({ runs: [] }), "quick has no derivs run");
  assert.not.ok(series({ runs: [], derivs: [{ ...entry, max: "high" }] }), "its entries are still checked");
  assert.not.ok(series({ derivs: [entry] }), "runs: every profile trains");
});

test("a claim reading what the runs do not record is refused, naming the file and the JSON path, before anything runs", () => {
  const base = JSON.parse(readFileSync(example, "utf8"));
  const cases: [string, (d: Record<string, any>) => void, string][] = [
    ["layer", (d) => (d.claims["sigmoid-first-layer-starves"].measure = { gradient: { run: "sigmoid6", layer: 7 } }),
      "/claims/sigmoid-first-layer-starves/measure/gradient/layer: layer 7 is beyond run sigmoid6's model, which has 6 layers"],
    ["run", (d) => (d.measures.tanhFirstOverLast.div[0].gradient.run = "tanh7"), '/measures/tanhFirstOverLast/div/0/gradient/run: no run named "tanh7" (runs: sigmoid6, tanh6)'],
    ["recording", (d) => (d.training.record.every = 0), "/measures/sigmoidFirstOverLast/div/0/gradient/run: run sigmoid6 records no gradients"],
    ["profile", (d) => (d.claims["tanh-starves-less"].measure = { metric: { run: "tanh6", name: "lossMean", epoch: 5 } }),
      "(profile quick) /claims/tanh-starves-less/measure/metric/epoch: epoch 5 is beyond run tanh6, which trains 2 epochs"],
    ["metric", (d) => (d.claims["tanh-starves-less"].measure = { metric: { run: "tanh6", name: "testAccuracy" } }),
      "/claims/tanh-starves-less/measure/metric/name: run tanh6 has no testAccuracy: its loss mse is not a classification loss"],
    ["vector", (d) => (d.claims["tanh-starves-less"].threshold = { gradient: { run: "tanh6", layer: "each" } }),
      "/claims/tanh-starves-less/threshold: a vector; a claim compares one number"],
    ["operator", (d) => (d.claims["tanh-starves-less"].measure = { mxa: [1, 2] }), '/claims/tanh-starves-less/measure: unknown measure or operator "mxa"'],
    ["schema", (d) => (d.runs.tanh6.kind = "variance-pair"), '/runs/tanh6/kind must be equal to one of the allowed values: ["train","variance-pairs"'],
    ["missing", (d) => delete d.training.loss, "/runs/sigmoid6/training: missing loss (neither the run nor the experiment's training sets them)"],
  ];
  for (const [name, edit, message] of cases) {
    const d = structuredClone(base);
    edit(d);
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(d));
    try {
      readExperimentFile(file);
      assert.unreachable(`${name}: accepted`);
    } catch (e) {
      assert.instance(e, ExperimentFileError, name);
      assert.ok((e as Error).message.startsWith(`${file}: not a usable experiment:`), (e as Error).message);
      assert.match((e as Error).message, message, name);
    }
  }
  writeFileSync(join(dir, "broken.json"), "{");
  assert.throws(() => readExperimentFile(join(dir, "broken.json")), /broken\.json: not a usable experiment:\n {2}not valid JSON/);
});

test.run();
