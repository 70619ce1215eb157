// StrykerJS on the training core (`npm run mutate`; docs/mutation-testing.md): every mutant of
// the code below is run through scripts/mutation-check.ts, the laws and unit tests that guard
// it (seconds per mutant, no fixture reruns). Another scope: `npm run mutate -- --mutate 'src/core/**/*.ts'`.
// @ts-check
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "command",
  commandRunner: { command: "node_modules/.bin/bun scripts/mutation-check.ts" },
  coverageAnalysis: "off",
  mutate: [
    // optimizers: the tfjs-op ones (autodiff engine), the fast engine's loops and wasm Adam
    "src/core/optimizers/*.ts",
    // clipping
    "src/core/clipping.ts",
    "src/core/fast/host-clipping.ts",
    // the recorder: the fast engine's statistics and Σg² kernel; the autodiff engine (its
    // stats(), and its clipping, update and moving averages)
    "src/core/fast/host-statistics.ts",
    "src/core/fast/kernels/reduce.ts",
    "src/core/autodiff-engine.ts",
    // activations and their derivatives (host loop and kernel module)
    "src/core/activations.ts",
    "src/core/fast/kernels/activation.ts",
    // batch norm (both engines' forward, the fast engine's backward and moving averages)
    "src/core/batchnorm.ts",
    "!src/**/*.test.ts",
  ],
  ignorers: ["fault-points"],
  plugins: ["@stryker-mutator/*", "./scripts/mutation/fault-point-ignorer.mjs"],
  ignorePatterns: ["/fixtures/**/*.json", "/report", "/runs", "/docs"],
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0, reportMutants: true, reportScoreTable: true },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
