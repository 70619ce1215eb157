/**
 * `gradlab check` as a library: the gradient-flow diagnosis of a tfjs-layers model (in memory
 * or loaded from model.json + weight files), its report (JSON Schema), its text and its page.
 */
export { type BatchFileOptions, type BatchFormat, type BatchTargets, type CheckBatch, readBatchFile, sniffFormat, standardNormalBatch } from "./batch.ts";
export { CHECK_LOSSES, type CheckLossName, chooseLoss, type LossChoice } from "./check-loss.ts";
export { type CheckOptions, checkModel, DEFAULT_CHECK_ROWS, type FlowMeasurement } from "./check-model.ts";
export { CHECK_REPORT_FORMAT, type CheckReport, checkReportSchema, type CheckVerdict, type LayerReport } from "./check-report.ts";
export { checkFigures, checkPage, checkPageFiles } from "./check-page.ts";
export { checkText } from "./check-text.ts";
export { kernelVerdict } from "./diagnose.ts";
export { loadModelFiles } from "./model-files.ts";
export { type ChainLayer, checkLayerClass, layerChain, SUPPORTED_LAYERS, type SupportedLayer, UnsupportedModelError } from "./layer-chain.ts";
export { CHECK_THRESHOLDS, type CheckThresholds } from "./thresholds.ts";
