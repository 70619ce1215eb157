/** The page of one run (`gradlab plot`): what ran, how it ended, then its figures. */
import { activationLabel } from "../core/mod.ts";
import type { FigurePage, PageBlock, RenderedFigure } from "../report/mod.ts";
import type { Run } from "../run-files/mod.ts";
import { stopSummary } from "./run-figures.ts";

/**
 * The page's content for a run and its rendered figures.
 *
 * @example
 * const page = runPage(run, await Promise.all(runFigures(run).map(renderFigure)));
 */
export function runPage(run: Run, figures: readonly RenderedFigure[]): FigurePage {
  const m = run.model;
  const t = run.training;
  const net = `${m.inputSize}→${m.layers.map((l) => l.units).join("→")}`;
  const acts = m.layers.map((l) => activationLabel(l.activation) + (l.batchNorm ? " + batch norm" : "")).join(", ");
  const opt = Object.entries(t.optimizer).map(([k, v]) => (k === "name" ? String(v) : `${k} ${v}`)).join(", ");
  const clip = t.clipping.name === "none" ? "none" : Object.entries(t.clipping).map(([k, v]) => (k === "name" ? String(v) : `${k} ${v}`)).join(" ");
  const last = run.epochs[run.epochs.length - 1];
  const pct = (x: number | undefined) => (x === undefined ? "–" : `${(100 * x).toFixed(1)}%`);
  const stop = stopSummary(run);
  const ending = run.ending;
  const endText = ending.kind === "end" ? `finished: ${ending.iterations} iterations` : ending.kind === "stop" ? `stopped: ${stop ?? ending.message}` : `cut off: ${ending.note}`;
  const by = (section: string): PageBlock[] => figures.filter((f) => f.section === section).map((figure) => ({ kind: "figure", figure }));
  const notices: PageBlock[] = ending.kind === "stop"
    ? [{ kind: "notice", tone: "failed", text: `Training stopped at the ${ending.reason === "non-finite" ? "first non-finite number" : "error"}: ${ending.message}. Everything recorded before it is drawn below.` }]
    : ending.kind === "cut"
    ? [{ kind: "notice", tone: "info", text: `This log has no end: ${ending.note}. Everything recorded is drawn below.` }]
    : [];
  return {
    title: `gradlab plot — ${net} (${[...new Set(m.layers.slice(0, -1).map((l) => activationLabel(l.activation)))].join(", ") || "linear"})`,
    lede: `One training run, drawn from ${run.from === "log" ? "its run log" : "its result file"} ${run.file}.`,
    meta: [
      ["run", run.command ?? "(no command recorded)"],
      ["network", `${net}; layers: ${acts}`],
      ["training", `${t.loss}, ${opt}, batch ${t.batchSize}, ${t.epochs} epochs, ${t.shuffle ? "shuffled" : "file order"}, clipping ${clip}, gradients every ${t.record.every} iterations, seed ${t.seed}`],
      ["data", `${run.data.source.name} (${run.data.source.location}): ${run.data.trainRows} train / ${run.data.testRows} test rows; preprocessing ${run.data.preprocessing}`],
      ["computed on", `${run.environment.backend} (${run.environment.runtime} ${run.environment.runtimeVersion ?? ""}, tfjs ${run.environment.tfjsVersion ?? "?"}), engine ${run.engine}`],
      ["ending", endText],
    ],
    tiles: [
      { label: "Epochs", value: `${run.epochs.length} of ${t.epochs}`, sub: `${run.iterationsPerEpoch} iterations each` },
      { label: "Test accuracy", value: pct(last?.testAccuracy), sub: last ? `after epoch ${last.epoch}` : "no epoch finished" },
      { label: "Recorded steps", value: String(run.steps.length), sub: `every ${t.record.every} iterations` },
      { label: "Ending", value: ending.kind === "end" ? "finished" : ending.kind === "stop" ? "stopped" : "cut off", sub: stop ?? (ending.kind === "end" ? `${ending.iterations} iterations` : ending.kind === "cut" ? "no end line" : ending.message), bad: ending.kind !== "end" },
    ],
    sections: [
      { id: "epochs", title: "Per epoch", blocks: [...notices, ...(by("epochs").length ? by("epochs") : [{ kind: "notice", tone: "absent", text: "No epoch finished, so there is nothing per epoch to draw." } as PageBlock])] },
      { id: "steps", title: "Per recorded step", blocks: by("steps").length ? by("steps") : [{ kind: "notice", tone: "absent", text: "No step was recorded (record.every is 0, or the run stopped before its first)." }] },
    ],
    footer: `Made by gradlab plot from ${run.file}. Each figure is also a standalone SVG under figures/; gradlab plot --csv DIR writes the numbers as CSV.`,
  };
}
