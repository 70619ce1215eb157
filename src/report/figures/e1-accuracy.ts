/** E1's accuracy plot (source 000): training and test accuracy per epoch, sigmoid vs ReLU. */
import type { TopLevelSpec } from "vega-lite";
import type { Figure } from "../figure.ts";
import { type E1Result, short } from "./_e1-runs.ts";
import { accuracyPerEpochChart, type AccuracyPoint, trainTestAccuracy } from "./accuracy-per-epoch.ts";

/**
 * Training accuracy (exact, accumulated during each epoch) and test accuracy (after each
 * epoch) of the sigmoid and ReLU models, in percent.
 *
 * @example
 * const figure = e1AccuracyFigure(readFixture("fashion-sigmoid-vs-relu", "quick"));
 */
export function e1AccuracyFigure(result: E1Result): Figure {
  const rows = trainTestAccuracy(result.series.runs.map((run) => ({ name: run.name, epochs: run.result.epochs })));
  const final = (name: string, set: string) => {
    const mine = rows.filter((r) => r.series === name && r.split === set);
    return mine[mine.length - 1]?.accuracy ?? NaN;
  };
  const first = (name: string) => rows.find((r) => r.series === name && r.split === "train")?.accuracy ?? NaN;
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

/**
 * E1's accuracy chart for any runs: train solid, test dashed, one colour per run (`names`);
 * `gradlab plot` draws a single run with it.
 *
 * @example
 * const spec = accuracyPerEpochSpec(trainTestAccuracy(runs), ["sigmoid", "relu"]);
 */
export function accuracyPerEpochSpec(points: AccuracyPoint[], names: readonly string[]): TopLevelSpec {
  return accuracyPerEpochChart(points, { series: names, seriesTitle: "activation", split: ["train", "test"], splitTitle: "data set", yTitle: "accuracy (%)", shapes: true });
}
