/**
 * The figures of one run (`gradlab plot`): E1's accuracy and per-layer gradient figures and
 * E3's norm figures, built by the report's own figure code, plus loss per epoch and per
 * recorded step. A run that stopped is drawn up to the stop, which is marked where the x axis
 * is the iteration.
 */
import type { TopLevelSpec } from "vega-lite";
import { activationLabel } from "../core/mod.ts";
import {
  accuracyPerEpochSpec,
  trainTestAccuracy,
  EPOCH_X,
  type Figure,
  globalNormRows,
  globalNormSpec,
  kernelsOf,
  layerGradientRows,
  layerGradientsSpec,
  logAxis,
  logDomain,
  short,
  tensorLabel,
  tensorNormRows,
  tensorNormsSpec,
} from "../report/mod.ts";
import type { Run } from "../run-files/mod.ts";

/** The run's series name: its hidden layers' activations ("relu", "sigmoid/tanh"), as the report colours them. */
export function runSeriesName(run: Run): string {
  const hidden = run.model.layers.slice(0, -1).map((l) => activationLabel(l.activation));
  return [...new Set(hidden)].join("/") || activationLabel(run.model.layers[0]!.activation);
}

/** The loss's unit for axis titles. */
export function lossUnit(run: Run): string {
  return run.training.loss === "mse" ? "MSE" : "nats";
}

/** Where training stopped on a non-finite number, in a few words (null when it did not). */
export function stopSummary(run: Run): string | null {
  const e = run.ending;
  if (e.kind !== "stop") return null;
  if (!e.location) return `training stopped: ${e.message}`;
  const l = e.location;
  const element = l.element === null ? "" : `, element [${l.element.join(", ")}]`;
  const where = l.tensor !== null
    ? `${l.kind === "loss" ? "parameter" : "tensor"} ${l.tensor}${l.layer === null ? "" : ` (layer ${l.layer})`}${element}`
    : l.layer !== null
    ? `the output of layer ${l.layer}${element}`
    : "";
  return `${l.kind} ${l.value} at iteration ${l.iteration} (epoch ${l.epoch})${where ? `: ${where}` : ""}`;
}

/** The iteration of the stop, when there is one. */
function stopIteration(run: Run): number | null {
  return run.ending.kind === "stop" && run.ending.location ? run.ending.location.iteration : null;
}

/** A dashed vertical rule at the stop, labelled, for a layered spec whose x is the iteration. */
function stopLayers(run: Run): NonNullable<Extract<TopLevelSpec, { layer: unknown }>["layer"]> {
  const at = stopIteration(run);
  if (at === null) return [];
  const text = `stopped: ${run.ending.kind === "stop" && run.ending.location ? `${run.ending.location.kind} ${run.ending.location.value}` : "error"} at ${at}`;
  return [
    { data: { values: [{ iteration: at }] }, mark: { type: "rule", color: "#c62828", strokeDash: [4, 3] }, encoding: { x: { field: "iteration", type: "quantitative" } } },
    {
      data: { values: [{ iteration: at, text }] },
      mark: { type: "text", align: "right", baseline: "top", dx: -4, y: 4, fontSize: 11, color: "#c62828" },
      encoding: { x: { field: "iteration", type: "quantitative" }, text: { field: "text" } },
    },
  ];
}

const stopCaption = (run: Run) => {
  const s = stopSummary(run);
  return s ? ` Training stopped here: ${s}; the red line marks it.` : "";
};

/**
 * The figures of a run, those its records allow: accuracy per epoch (classification), loss
 * per epoch, loss per recorded step, mean |∂L/∂W| per layer, the global gradient norm, and the
 * norm of each tensor when clipping was on.
 *
 * @example
 * const figures = runFigures(readRun("runs/e1.json"));
 */
export function runFigures(run: Run): Figure[] {
  const name = runSeriesName(run);
  const figures: Figure[] = [];
  const acc = trainTestAccuracy([{ name, epochs: run.epochs }]);
  if (acc.length) {
    const lastTest = [...acc].reverse().find((r) => r.split === "test");
    const lastTrain = [...acc].reverse().find((r) => r.split === "train");
    figures.push({
      id: "run-accuracy",
      section: "epochs",
      title: "Accuracy per epoch",
      caption: `Training accuracy (counted during each epoch, before each batch's update) and test accuracy (after the epoch), in percent. ` +
        `After epoch ${acc[acc.length - 1]!.epoch}: ${lastTrain ? `training ${short(lastTrain.accuracy)}%` : ""}${lastTrain && lastTest ? ", " : ""}${lastTest ? `test ${short(lastTest.accuracy)}%` : ""}.`,
      spec: accuracyPerEpochSpec(acc, [name]),
    });
  }
  if (run.epochs.length) figures.push(lossPerEpochFigure(run));
  if (run.steps.length) {
    figures.push(lossPerStepFigure(run));
    figures.push(gradientsFigure(run, name));
    figures.push(globalNormFigure(run));
    if (run.training.clipping.name !== "none" && run.steps.some((s) => s.clippedL2)) figures.push(tensorNormsFigure(run));
  }
  return figures;
}

function lossPerEpochFigure(run: Run): Figure {
  const rows = run.epochs.flatMap((e) => [
    { epoch: e.epoch, what: "training (mean batch loss)", loss: e.lossMean },
    ...(e.trainLoss === undefined ? [] : [{ epoch: e.epoch, what: "training set (after the epoch)", loss: e.trainLoss }]),
    ...(e.testLoss === undefined ? [] : [{ epoch: e.epoch, what: "test set (after the epoch)", loss: e.testLoss }]),
  ]).filter((r) => Number.isFinite(r.loss));
  const last = run.epochs[run.epochs.length - 1]!;
  const y = lossAxis(rows.map((r) => r.loss), run);
  return {
    id: "run-loss",
    section: "epochs",
    title: "Loss per epoch",
    caption: `The mean of the batch losses during each epoch${rows.some((r) => r.what.startsWith("test")) ? ", and the loss on the test set after it" : ""}. ` +
      `Epoch ${last.epoch}: ${short(last.lossMean)}${last.testLoss === undefined ? "" : ` (test ${short(last.testLoss)})`}.${y.log ? " The y axis is logarithmic." : ""}`,
    spec: {
      width: 700,
      height: 260,
      data: { values: rows },
      mark: { type: "line", point: true },
      encoding: {
        x: EPOCH_X,
        y: { field: "loss", type: "quantitative", ...y.encoding },
        color: { field: "what", type: "nominal", title: null, scale: { range: ["#4e79a7", "#59a14f", "#f28e2b"] } },
        tooltip: [{ field: "what" }, { field: "epoch" }, { field: "loss", format: ".4g" }],
      },
    },
  };
}

/** A log axis when the values are positive and span more than a factor 100, else a linear one. */
function lossAxis(values: number[], run: Run): { log: boolean; encoding: Record<string, unknown> } {
  const finite = values.filter(Number.isFinite);
  const positive = finite.length > 0 && finite.every((v) => v > 0);
  const log = positive && Math.max(...finite) / Math.min(...finite) > 100;
  const title = `loss (${lossUnit(run)}${log ? ", log" : ""})`;
  return log
    ? { log, encoding: { title, scale: { type: "log", domain: logDomain(finite) }, axis: logAxis(finite) } }
    : { log, encoding: { title, scale: { zero: false } } };
}

function lossPerStepFigure(run: Run): Figure {
  const rows = run.steps.map((s) => ({ iteration: s.iteration, loss: s.loss })).filter((r) => Number.isFinite(r.loss));
  const y = lossAxis(rows.map((r) => r.loss), run);
  const last = rows[rows.length - 1];
  return {
    id: "run-step-loss",
    section: "steps",
    title: "Loss at each recorded step",
    caption: `The batch loss at the iterations where gradients were recorded (every ${run.training.record.every}), before that step's update.` +
      (last ? ` Last recorded: ${short(last.loss)} at iteration ${last.iteration}.` : "") + (y.log ? " The y axis is logarithmic." : "") + stopCaption(run),
    spec: {
      width: 700,
      height: 240,
      layer: [
        {
          data: { values: rows },
          mark: { type: "line", strokeWidth: 1.5, point: rows.length <= 60 },
          encoding: {
            x: { field: "iteration", type: "quantitative", title: `iteration (batches of ${run.training.batchSize})`, axis: { format: "d", tickMinStep: 1 } },
            y: { field: "loss", type: "quantitative", ...y.encoding },
            color: { value: "#4e79a7" },
          },
        },
        ...stopLayers(run),
      ],
    },
  };
}

function gradientsFigure(run: Run, name: string): Figure {
  const rows = layerGradientRows([{ name, parameterNames: run.parameterNames, parameterShapes: run.parameterShapes, steps: run.steps }]);
  const kernels = kernelsOf({ result: run });
  const mean = (index: number) => {
    const v = run.steps.map((s) => s.meanAbs[index]!).filter(Number.isFinite);
    return v.reduce((a, b) => a + b, 0) / v.length;
  };
  const first = kernels[0], last = kernels[kernels.length - 1];
  const ratio = first && last && first !== last ? mean(first.index) / mean(last.index) : NaN;
  return {
    id: "run-gradients",
    section: "steps",
    title: "Mean |gradient| per layer over training",
    caption: `Mean |∂L/∂W| of each weight matrix, recorded every ${run.training.record.every} iterations on that iteration's batch, before the update; the y axis is logarithmic and shared across the panels.` +
      (Number.isFinite(ratio) ? ` Averaged over the recorded steps, layer 1's is ${short(ratio)}× layer ${kernels.length}'s.` : "") + stopCaption(run),
    spec: layerGradientsSpec(rows, kernels.map((k) => k.label), [name], run.training.batchSize, lossUnit(run)),
  };
}

function globalNormFigure(run: Run): Figure {
  const c = run.training.clipping;
  const limit = c.name === "globalNorm" ? c.maxNorm : null;
  const spec = globalNormSpec(globalNormRows(run.steps), limit, run.training.batchSize, lossUnit(run)) as Extract<TopLevelSpec, { layer: unknown }>;
  const finite = run.steps.filter((s) => Number.isFinite(s.globalNorm));
  const top = finite.reduce<(typeof finite)[number] | null>((a, s) => (a && a.globalNorm >= s.globalNorm ? a : s), null);
  const clipped = limit === null ? 0 : run.steps.filter((s) => s.globalNorm > limit).length;
  const how = c.name === "none"
    ? "No clipping was configured, so only the norm before clipping is drawn."
    : c.name === "globalNorm"
    ? `Clipping by global norm at ${limit}: ${clipped} of ${run.steps.length} recorded steps were above it, and after clipping they sit on the line.`
    : "maxNorm" in c
    ? `Clipping each tensor to norm ${c.maxNorm}: the global norm after clipping is drawn too.`
    : `Clipping each element to [${c.min}, ${c.max}]: the global norm after clipping is drawn too.`;
  return {
    id: "run-global-norm",
    section: "steps",
    title: c.name === "none" ? "Global gradient norm per recorded step" : "Global gradient norm per recorded step, before and after clipping",
    caption: `G = √Σ‖gᵢ‖² over all parameters, on a log axis.${top ? ` Largest: ${short(top.globalNorm)} at iteration ${top.iteration}.` : ""} ${how}` + stopCaption(run),
    spec: { ...spec, layer: [...spec.layer, ...stopLayers(run)] } as TopLevelSpec,
  };
}

function tensorNormsFigure(run: Run): Figure {
  const names = run.parameterNames.map(tensorLabel);
  return {
    id: "run-tensor-norms",
    section: "steps",
    title: "Gradient norm of each tensor, before and after clipping",
    caption: `‖gᵢ‖₂ of each parameter's gradient at the recorded steps, before and after clipping (${run.training.clipping.name}); the y axis is logarithmic and shared, so the panels compare.` +
      (run.training.clipping.name === "globalNorm" ? " Clipping by global norm scales every tensor by one factor, so their proportions are kept." : ""),
    spec: tensorNormsSpec(tensorNormRows(run.steps, names), names),
  };
}
