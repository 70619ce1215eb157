/**
 * The property suites: every numeric law of the training core, the harness that checks them
 * on the backends from one seed, the tolerances, and the property report (schema, type,
 * validation, renderings).
 */
export { LAWS } from "./laws.ts";
export { assertLaw, type AssertLawOptions, LawViolation, violationMessage } from "./assert-law.ts";
// The law factories: each takes the implementation under test (the core's by default).
export { eluDerivative } from "./activations/elu-derivative.ts";
export { leakyReluDerivative } from "./activations/leaky-relu-derivative.ts";
export { reluDerivative } from "./activations/relu-derivative.ts";
export { seluDerivative } from "./activations/selu-derivative.ts";
export { sigmoidDerivative } from "./activations/sigmoid-derivative.ts";
export { tanhDerivative } from "./activations/tanh-derivative.ts";
export { compoundingFactors } from "./depth/compounding-factors.ts";
export { reluOrthogonalChain } from "./depth/relu-orthogonal-chain.ts";
export { sigmoidChainBound } from "./depth/sigmoid-chain-bound.ts";
export { badInitThroughDepth } from "./initializers/bad-init-through-depth.ts";
export { type BuildDenseLayer, type DenseLayerUnderTest, glorotCondition, glorotConditionOfLayer } from "./initializers/glorot-condition.ts";
export { initializerDistributionLaw } from "./initializers/initializer-distribution.ts";
export { initializerMoments } from "./initializers/initializer-moments.ts";
export { varianceThroughDepth } from "./initializers/variance-through-depth.ts";
export { zeroInitSymmetry } from "./initializers/zero-init-symmetry.ts";
export { type ClipByGlobalNorm, clipByGlobalNormLaw } from "./clipping/clip-by-global-norm.ts";
export { type ClipByNorm, clipByNormLaw } from "./clipping/clip-by-norm.ts";
export { type ClipByValue, clipByValueLaw } from "./clipping/clip-by-value.ts";
export { clipNonFinite } from "./clipping/clip-non-finite.ts";
export { gradientCheck } from "./gradients/gradient-check.ts";
export { type CreateOptimizer, type OptimizerName, optimizerStep } from "./engine/optimizer-step.ts";
// The implementation types the factories take.
export type { Activate, CreateModel, DrawInitial, ForwardPass } from "./implementations.ts";
export { defineLaw, type Law, type LawContext, LAW_GROUPS, type LawGroup, type ToleranceUsed } from "./law.ts";
export {
  checkLaw, type CheckOptions, gradlabProps, type Profile, replayCommand, RUN_FACTOR, runProperties, type RunOptions, runsFor, selectLaws,
  THOROUGH_FACTOR,
} from "./harness.ts";
export { BACKEND_TOLERANCE, type BackendTolerance, F32_EPS, F32_U, FALSE_ALARM_RATE, gamma, toleranceFor } from "./tolerance.ts";
export {
  type Counterexample, counterexampleSchema, type PropertyReport, propertyReportSchema, type PropertyResult, propertyResultSchema,
  readPropertyReport, validatePropertyReport,
} from "./report-schema.ts";
export { describeResult, renderMarkdown } from "./report-markdown.ts";
export { renderJunit } from "./report-junit.ts";
export { DEFAULT_REPORT_JSON, markdownPathFor, writePropertyReport } from "./report-write.ts";
