/** Describing an experiment's data in its result. */
import type { TrainData } from "../../core/mod.ts";
import type { DataRecord } from "../result.ts";

/** The data record of a result. `full` says whether every row of the full data set was used. */
export function dataRecord(data: TrainData, full: boolean, preprocessing: string, statistics?: Record<string, number>): DataRecord {
  const r: DataRecord = {
    source: { ...data.source },
    full,
    trainRows: data.train.rows,
    testRows: data.test?.rows ?? 0,
    features: data.train.features,
    preprocessing,
  };
  if (statistics) r.statistics = statistics;
  return r;
}
