/**
 * The accuracy-per-epoch chart E1, E4 and `gradlab plot` draw: one line per run, colour by a
 * series (the activation), solid or dashed by a two-valued split (train/test for E1, with or
 * without batch norm for E4).
 */
import type { TopLevelSpec } from "vega-lite";
import type { EpochMetrics } from "../../core/mod.ts";
import { colorScale, EPOCH_X } from "../theme.ts";

/** One point: the epoch, the line's series (colour) and split (dash), the run it belongs to, the accuracy in percent. */
export interface AccuracyPoint {
  epoch: number;
  series: string;
  split: string;
  run: string;
  accuracy: number;
}

/** How the lines are told apart and titled. */
export interface AccuracyChartOptions {
  /** the series, in colour order */
  series: readonly string[];
  seriesTitle: string;
  /** the split's two values: solid first, dashed second */
  split: readonly [string, string];
  splitTitle: string | null;
  yTitle: string;
  /** mark the split by point shape too (circle, square) */
  shapes?: boolean;
}

/**
 * The points of each run's training accuracy (accumulated during the epoch) and test accuracy
 * (after it), where recorded: series = the run's name, split = "train" or "test".
 *
 * @example
 * const points = trainTestAccuracy([{ name: "relu", epochs: result.epochs }]);
 */
export function trainTestAccuracy(runs: readonly { name: string; epochs: readonly EpochMetrics[] }[]): AccuracyPoint[] {
  return runs.flatMap((run) =>
    run.epochs.flatMap((e): AccuracyPoint[] => [
      ...(e.trainAccuracy === undefined ? [] : [{ epoch: e.epoch, series: run.name, split: "train", run: run.name, accuracy: 100 * e.trainAccuracy }]),
      ...(e.testAccuracy === undefined ? [] : [{ epoch: e.epoch, series: run.name, split: "test", run: run.name, accuracy: 100 * e.testAccuracy }]),
    ])
  );
}

/**
 * Accuracy per epoch as a Vega-Lite spec: colour by series, solid/dashed by split, one line per
 * run and split.
 *
 * @example
 * const spec = accuracyPerEpochChart(points, { series: ["sigmoid", "relu"], seriesTitle: "activation", split: ["train", "test"], splitTitle: "data set", yTitle: "accuracy (%)" });
 */
export function accuracyPerEpochChart(points: AccuracyPoint[], o: AccuracyChartOptions): TopLevelSpec {
  return {
    width: 700,
    height: 300,
    data: { values: points },
    mark: { type: "line", point: true },
    encoding: {
      x: EPOCH_X,
      y: { field: "accuracy", type: "quantitative", title: o.yTitle, scale: { zero: false } },
      color: { field: "series", type: "nominal", title: o.seriesTitle, scale: colorScale(o.series) },
      strokeDash: { field: "split", type: "nominal", title: o.splitTitle, scale: { domain: [...o.split], range: [[1, 0], [6, 4]] } },
      ...(o.shapes ? { shape: { field: "split", type: "nominal" as const, title: o.splitTitle, scale: { domain: [...o.split], range: ["circle", "square"] } } } : {}),
      detail: { field: "run" },
      tooltip: [{ field: "run" }, { field: "split" }, { field: "epoch" }, { field: "accuracy", format: ".2f" }],
    },
  };
}
