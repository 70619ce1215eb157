/**
 * A run as CSV files for spreadsheets (`gradlab plot --csv DIR`): epochs.csv (one row per
 * epoch), steps.csv (one row per recorded step, one column per parameter and statistic) and,
 * for a run that stopped, stop.csv (where). Written by csv-stringify (RFC 4180 quoting);
 * numbers at full precision, a non-finite one as NaN, Infinity or -Infinity.
 */
import { stringify } from "csv-stringify/sync";
import type { Run } from "../run-files/mod.ts";

/** A CSV file, relative to the directory it goes in. */
export interface CsvFile {
  path: string;
  text: string;
}

const EPOCH_COLUMNS = ["epoch", "lossSum", "lossMean", "trainAccuracy", "trainLoss", "trainEvalAccuracy", "testLoss", "testAccuracy"] as const;

/**
 * The CSV files of a run.
 *
 * @example
 * for (const f of runCsvFiles(readRun("runs/e1.json"))) writeFileSync(join("csv", f.path), f.text);
 */
export function runCsvFiles(run: Run): CsvFile[] {
  const files: CsvFile[] = [];
  const epochColumns = EPOCH_COLUMNS.filter((c, i) => i < 3 || run.epochs.some((e) => e[c] !== undefined));
  files.push({ path: "epochs.csv", text: csv([epochColumns, ...run.epochs.map((e) => epochColumns.map((c) => e[c]))]) });

  const clipped = run.steps.some((s) => s.clippedL2 !== undefined);
  const per = (stat: string) => run.parameterNames.map((n) => `${stat} ${n}`);
  const head = ["iteration", "epoch", "loss", "globalNorm", ...(clipped ? ["clippedGlobalNorm"] : []), ...per("meanAbs"), ...per("l2"), ...(clipped ? per("clippedL2") : [])];
  const rows = run.steps.map((s) => [
    s.iteration,
    s.epoch,
    s.loss,
    s.globalNorm,
    ...(clipped ? [s.clippedGlobalNorm] : []),
    ...s.meanAbs,
    ...s.l2,
    ...(clipped ? run.parameterNames.map((_, i) => s.clippedL2?.[i]) : []),
  ]);
  files.push({ path: "steps.csv", text: csv([head, ...rows]) });

  const e = run.ending;
  if (e.kind === "stop") {
    const l = e.location;
    files.push({
      path: "stop.csv",
      text: csv([
        ["reason", "kind", "iteration", "epoch", "batch", "value", "layer", "tensor", "element", "message"],
        [e.reason, l?.kind, l?.iteration, l?.epoch, l?.batch, l?.value, l?.layer, l?.tensor, l?.element ? `[${l.element.join(", ")}]` : undefined, e.message],
      ]),
    });
  }
  return files;
}

function csv(rows: unknown[][]): string {
  return stringify(rows.map((r) => r.map((v) => (v === undefined || v === null ? "" : typeof v === "number" ? String(v) : v))));
}
