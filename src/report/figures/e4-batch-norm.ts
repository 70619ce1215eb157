/** E4 (source 001): test accuracy per epoch with and without batch normalization. */
import { type MnistBnEluHeResult, trainRunsOf } from "../../experiments/mod.ts";
import type { Figure } from "../figure.ts";
import { accuracyPerEpochChart, type AccuracyPoint } from "./accuracy-per-epoch.ts";
import { short } from "./_e1-runs.ts";

export type E4Result = Pick<MnistBnEluHeResult, "series" | "config" | "profile">;

/**
 * Test accuracy (%) per epoch of each E4 net; colour = hidden activation, solid = with
 * batch normalization, dashed = without.
 *
 * @example
 * const figure = e4BatchNormFigure(readFixture("mnist-bn-elu-he", "quick"));
 */
export function e4BatchNormFigure(result: E4Result): Figure {
  const nets = trainRunsOf(result.config).map((run) => ({
    name: run.name,
    activation: activationName(run.model.layers[0]?.activation.name ?? "?"),
    bn: run.model.layers.some((l) => l.batchNorm !== undefined) ? "with batch norm" : "without batch norm",
  }));
  const rows = result.series.runs.flatMap((run) => {
    const net = nets.find((n) => n.name === run.name);
    return run.result.epochs.filter((e) => e.testAccuracy !== undefined).map((e): AccuracyPoint => ({
      epoch: e.epoch,
      run: run.name,
      series: net?.activation ?? "?",
      split: net?.bn ?? "?",
      accuracy: 100 * e.testAccuracy!,
    }));
  });
  const final = (name: string) => rows.filter((r) => r.run === name).at(-1)?.accuracy ?? NaN;
  const activations = [...new Set(nets.map((n) => n.activation))];
  const sigmoidPair = nets.some((n) => n.name === "sigmoid-glorot") && nets.some((n) => n.name === "bn-sigmoid-glorot");
  const eluPair = nets.some((n) => n.name === "elu-he") && nets.some((n) => n.name === "bn-elu-he");
  const caption = [
    "Solid lines are nets with batch normalization, dashed ones without; same colour, same activation.",
    sigmoidPair ? `Sigmoid + Glorot ends at ${short(final("bn-sigmoid-glorot"))}% with BN and ${short(final("sigmoid-glorot"))}% without.` : "",
    eluPair ? `ELU + He ends at ${short(final("bn-elu-he"))}% with BN and ${short(final("elu-he"))}% without.` : "",
  ].filter(Boolean).join(" ");
  return {
    id: "e4-batch-norm",
    section: "E4",
    title: "E4 · Test accuracy per epoch, with and without batch normalization",
    caption,
    spec: accuracyPerEpochChart(rows, {
      series: activations,
      seriesTitle: "activation",
      split: ["with batch norm", "without batch norm"],
      splitTitle: null,
      yTitle: "test accuracy (%)",
    }),
  };
}

function activationName(name: string): string {
  return name === "leakyRelu" ? "leaky relu" : name;
}
