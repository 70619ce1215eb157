/**
 * The report: figures (Vega-Lite specs rendered to SVG headlessly), the HTML page, the
 * schema-checked report.json, the CI summary, and the check of the page in a real browser.
 */
export { type BuiltReport, buildReport, type ReportInputs } from "./build.ts";
export { type BrowserCheck, CHROMIUM_ARGS, checkInBrowser, findChromium, SYSTEM_CHROMIUM, VIEWPORT } from "./browser-check.ts";
export { consoleSummary } from "./console-summary.ts";
export { type Figure, type RenderedFigure, renderFigure } from "./figure.ts";
export { type FigurePage, figurePageFiles, figurePageHtml, type PageBlock, type PageFile, type PageSection, type PageTile } from "./figure-page.ts";
export * from "./figures/mod.ts";
export { fixtureSource, type GatherOptions, gatherInputs } from "./gather.ts";
export { reportHtml } from "./html.ts";
export { escapeXml, renderSvg } from "./render-svg.ts";
export { type Report, reportSchema, validateReport } from "./report-schema.ts";
export { EXPERIMENT_SECTIONS } from "./sections.ts";
export { formatProblem, type Origin, problemOf, readSource, type Source } from "./source.ts";
export { summaryMarkdown } from "./summary-markdown.ts";
export { checkReportDirectory, REPORT_FILES, writeReport, type WriteReportOptions } from "./write.ts";
