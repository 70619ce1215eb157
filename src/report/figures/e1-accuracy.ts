/** E1's accuracy plot (seed 000): training and test accuracy per epoch, sigmoid vs ReLU. */
import type { TopLevelSpec } from "vega-lite";
import type { EpochMetrics } from "../../core/mod.ts";
import type { Figure } from "../figure.ts";
import { colorScale, EPOCH_X } from "../theme.ts";
import { type E1Result, short } from "./_e1-runs.ts";

/**
 * Training accuracy (exact, accumulated during each epoch) and test accuracy (after each
 * epoch) of the sigmoid and ReLU models, in percent.
 *
 * @example
 * const figure = e1AccuracyFigure(readFixture("fashion-sigmoid-vs-relu", "quick"));
 */
export function e1AccuracyFigure(result: E1Result): Figure {
  const rows = accuracyRows(result.series.runs.map((run) => ({ name: run.name, epochs: run.result.epochs })));
  const final = (name: string, set: string) => {
    const mine = rows.filter((r) => r.activation === name && r.set === set);
    return mine[mine.length - 1]?.accuracy ?? NaN;
  };
  const first = (name: string) => rows.find((r) => r.activation === name && r.set === "train")?.accuracy ?? NaN;
  const names = result.series.runs.map((r) => r.name);
  const caption = names.includes("sigmoid") && names.includes("relu")
    ? `ReLU ends at ${short(final("relu", "test"))}% test accuracy, sigmoid at ${short(final("sigmoid", "test"))}%. ` +
      (first("relu") > first("sigmoid")
        ? `Notice the first epoch: ReLU is already at ${short(first("relu"))}% training accuracy while sigmoid is at ${short(first("sigmoid"))}%: the sigmoid model takes longer to get going.`
        : `In the first epoch sigmoid is at ${short(first("sigmoid"))}% training accuracy and ReLU at ${short(first("relu"))}%: here sigmoid does not start slower.`)
    : "Training and test accuracy per epoch.";
  return {
    id: "e1-accuracy",
    section: "E1",
    title: "E1 · Accuracy per epoch: sigmoid vs ReLU",
    caption,
    spec: accuracyPerEpochSpec(rows, names),
  };
}

/** One point of an accuracy-per-epoch plot: a series (an activation, a run), the set, the accuracy in percent. */
export interface AccuracyRow {
  epoch: number;
  activation: string;
  set: "train" | "test";
  accuracy: number;
}

/**
 * The rows of an accuracy-per-epoch plot: each run's training accuracy (accumulated during the
 * epoch) and test accuracy (after it), where recorded.
 *
 * @example
 * const rows = accuracyRows([{ name: "relu", epochs: result.epochs }]);
 */
export function accuracyRows(runs: readonly { name: string; epochs: readonly EpochMetrics[] }[]): AccuracyRow[] {
  return runs.flatMap((run) =>
    run.epochs.flatMap((e): AccuracyRow[] => [
      ...(e.trainAccuracy === undefined ? [] : [{ epoch: e.epoch, activation: run.name, set: "train" as const, accuracy: 100 * e.trainAccuracy }]),
      ...(e.testAccuracy === undefined ? [] : [{ epoch: e.epoch, activation: run.name, set: "test" as const, accuracy: 100 * e.testAccuracy }]),
    ])
  );
}

/**
 * Accuracy per epoch, one colour per series (`names`), train solid and test dashed: E1's
 * figure and `gradlab plot`'s.
 *
 * @example
 * const spec = accuracyPerEpochSpec(accuracyRows(runs), ["sigmoid", "relu"]);
 */
export function accuracyPerEpochSpec(rows: AccuracyRow[], names: readonly string[]): TopLevelSpec {
  return {
    width: 700,
    height: 300,
    data: { values: rows },
    mark: { type: "line", point: true },
    encoding: {
      x: EPOCH_X,
      y: { field: "accuracy", type: "quantitative", title: "accuracy (%)", scale: { zero: false } },
      color: { field: "activation", type: "nominal", title: "activation", scale: colorScale(names) },
      strokeDash: {
        field: "set",
        type: "nominal",
        title: "data set",
        scale: { domain: ["train", "test"], range: [[1, 0], [6, 4]] },
      },
      shape: { field: "set", type: "nominal", title: "data set", scale: { domain: ["train", "test"], range: ["circle", "square"] } },
      tooltip: [{ field: "activation" }, { field: "set" }, { field: "epoch" }, { field: "accuracy", format: ".2f" }],
    },
  };
}
