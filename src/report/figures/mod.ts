/**
 * The figure builders other pages reuse (`gradlab plot`, `gradlab check --html`): rows and
 * Vega-Lite specs of E1's and E3's figures for any run, and the shared axes and colours.
 */
export { accuracyPerEpochSpec } from "./e1-accuracy.ts";
export { accuracyPerEpochChart, type AccuracyPoint, trainTestAccuracy } from "./accuracy-per-epoch.ts";
export { type LayerGradientRow, layerGradientRows, layerGradientsSpec } from "./e1-gradients.ts";
export { type GlobalNormRow, globalNormRows, globalNormSpec } from "./e3-global-norm.ts";
export { type TensorNormRow, tensorNormRows, tensorNormsSpec } from "./e3-tensor-norms.ts";
export { kernelsOf, short } from "./_e1-runs.ts";
export { tensorLabel } from "./_e3-steps.ts";
export { logAxis, logDomain, powerOfTen } from "./_log-axis.ts";
export { colorScale, EPOCH_X, SERIES_COLORS } from "../theme.ts";
