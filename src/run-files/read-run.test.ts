import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ModelSpec, TrainConfig } from "../core/mod.ts";
import { parseRun } from "./read-run.ts";
import { formatLine, RUN_LOG_FORMAT, type RunLogHeader, type RunLogLine } from "./run-log.ts";

const model: ModelSpec = {
  inputSize: 2,
  layers: [
    { units: 3, activation: { name: "tanh" }, kernelInitializer: { name: "glorotUniform" }, useBias: true },
    { units: 2, activation: { name: "linear" }, kernelInitializer: { name: "glorotUniform" }, useBias: true },
  ],
};
const training: TrainConfig = {
  loss: "softmaxCrossEntropy",
  optimizer: { name: "sgd", learningRate: 0.1 },
  batchSize: 4,
  epochs: 2,
  shuffle: false,
  clipping: { name: "none" },
  seed: 5,
  record: { every: 1 },
};
const header: RunLogHeader = {
  kind: "header",
  format: RUN_LOG_FORMAT,
  command: "gradlab train x.json",
  model,
  training,
  data: { spec: { dataset: "mnist" }, source: { name: "n", location: "l", sha256: "0", description: "d" }, preprocessing: "none", trainRows: 8, testRows: 0 },
  environment: { backend: "cpu", runtime: "bun" },
  engine: "autodiff",
  parameterNames: ["dense1/kernel", "dense1/bias", "dense2/kernel", "dense2/bias"],
  parameterShapes: [[2, 3], [3], [3, 2], [2]],
  iterationsPerEpoch: 2,
  iterations: 4,
};
const step = (iteration: number): RunLogLine => ({ kind: "step", iteration, epoch: 1 + Math.floor(iteration / 2), loss: 0.7, meanAbs: [1, 2, 3, 4], l2: [1, 2, 3, 4], globalNorm: 5.5 });
const log = (...lines: RunLogLine[]) => lines.map(formatLine).join("");

test("a run log reads back up to its stop line, which carries the location", () => {
  const text = log(header, step(0), step(1), { kind: "epoch", epoch: 1, lossSum: 1.4, lossMean: 0.7, testLoss: Infinity }, step(2), {
    kind: "stop",
    reason: "non-finite",
    message: "non-finite gradient at iteration 3",
    location: { kind: "gradient", iteration: 3, epoch: 2, batch: 1, value: "NaN", layer: 2, tensor: "dense2/kernel", element: [1, 0] },
  });
  const run = parseRun(text, "r.jsonl");
  assert.is(run.from, "log");
  assert.equal(run.steps.map((s) => s.iteration), [0, 1, 2]);
  assert.is(run.epochs.length, 1);
  assert.is(run.epochs[0]!.testLoss, Infinity, "a non-finite number survives the round trip");
  assert.is(run.ending.kind, "stop");
  assert.equal(run.ending.kind === "stop" && run.ending.location?.element, [1, 0]);
  assert.is(run.training.seed, 5);
});

test("a log without an end was cut off; an incomplete last line is where the process died", () => {
  assert.is(parseRun(log(header, step(0)), "r.jsonl").ending.kind, "cut");
  const torn = log(header, step(0)) + formatLine(step(1)).slice(0, 20);
  const run = parseRun(torn, "r.jsonl");
  assert.is(run.steps.length, 1);
  assert.match(run.ending.kind === "cut" ? run.ending.note : "", "line 3 is incomplete");
});

test("bad lines are named by file, line number and field", () => {
  const cases: [string, string][] = [
    [log(header, step(0)).replace('"loss":0.7', '"loss":"high"'), "r.jsonl:2 (run log step line): does not match its schema:\n  /loss must be number"],
    [log(header) + '{"kind":"warp"}\n' + formatLine(step(0)), 'r.jsonl:2: kind "warp", expected one of step, epoch, stop, end'],
    [log(header, { kind: "end", iterations: 4 }, step(0)), "r.jsonl:3: a line after the run's end line"],
    [log(header).replace(RUN_LOG_FORMAT, "gradlab-run-log/0"), 'r.jsonl:1: format "gradlab-run-log/0", expected "gradlab-run-log/1"'],
    [log(header) + "{oops\n" + formatLine(step(0)), "r.jsonl:2: not a JSON line"],
    [log(header).replace('"engine":"autodiff"', '"engine":"warp"'), "r.jsonl:1 (run log header): does not match its schema"],
    ["", "r.jsonl: neither a run result"],
    ['{"model": 1}', "r.jsonl (a gradlab train --out result): does not match its schema"],
  ];
  for (const [text, message] of cases) {
    let error: Error | null = null;
    try {
      parseRun(text, "r.jsonl");
    } catch (e) {
      error = e as Error;
    }
    assert.ok(error, `should fail: ${message}`);
    assert.match(error.message, message);
  }
});

test("formatLine: one line; non-finite numbers only where the reader revives them", () => {
  assert.is(formatLine({ kind: "end", iterations: 4 }), '{"kind":"end","iterations":4}\n');
  assert.match(formatLine({ kind: "epoch", epoch: 1, lossSum: NaN, lossMean: -Infinity }), '"lossSum":"NaN","lossMean":"-Infinity"');
  assert.throws(() => formatLine({ kind: "end", iterations: 4, seconds: NaN }), /end line: field seconds is NaN/);
});

test.run();
