/** E1's accuracy plot (seed 000): training and test accuracy per epoch, sigmoid vs ReLU. */
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
  const rows = result.series.runs.flatMap((run) =>
    run.result.epochs.flatMap((e) => [
      ...(e.trainAccuracy === undefined ? [] : [{ epoch: e.epoch, activation: run.name, set: "train", accuracy: 100 * e.trainAccuracy }]),
      ...(e.testAccuracy === undefined ? [] : [{ epoch: e.epoch, activation: run.name, set: "test", accuracy: 100 * e.testAccuracy }]),
    ])
  );
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
    spec: {
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
    },
  };
}
