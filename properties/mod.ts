/**
 * The property suites: every numeric law of the training core, the harness that checks them
 * on the backends from one seed, the tolerances, and the property report (schema, type,
 * validation, renderings).
 */
export { LAWS } from "./laws.ts";
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
