/**
 * Plots of any run (`gradlab plot`): the figures, the page and the CSV files of a run read
 * from a `train --out` result or a `train --log` run log (src/run-files/).
 */
import { type PageFile, figurePageFiles, type RenderedFigure, renderFigure } from "../report/mod.ts";
import type { Run } from "../run-files/mod.ts";
import { runFigures } from "./run-figures.ts";
import { runPage } from "./run-page.ts";

export { type CsvFile, runCsvFiles } from "./run-csv.ts";
export { lossUnit, runFigures, runSeriesName, stopSummary } from "./run-figures.ts";
export { runPage } from "./run-page.ts";

/**
 * Renders a run's figures and its page: the files of the page directory (index.html,
 * figures/*.svg), for the caller to write.
 *
 * @example
 * const { files } = await plotRun(readRun("runs/e1.jsonl"));
 */
export async function plotRun(run: Run): Promise<{ figures: RenderedFigure[]; files: PageFile[] }> {
  const figures: RenderedFigure[] = [];
  for (const f of runFigures(run)) figures.push(await renderFigure(f));
  return { figures, files: figurePageFiles(runPage(run, figures), figures) };
}
