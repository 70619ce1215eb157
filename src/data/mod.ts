/**
 * gradlab's data sets: the IDX reader, Fashion-MNIST (full or the embedded subset), MNIST,
 * source 003's synthetic regression, and feature standardization. Every loader returns plain
 * `TrainData` (src/core/dataset.ts) with a `source` saying what was read and its sha256.
 */
export { encodeIdx, expectIdx, isGzip, maybeGunzip, parseIdx, readIdx, writeIdx } from "./idx.ts";
export type { IdxArray, IdxData, IdxType } from "./idx.ts";
export { findFashionMnist, loadFashionMnist, locateFashionMnist, SYSTEM_FASHION_MNIST_DIR } from "./fashion-mnist.ts";
export type { FashionMnistLocation, FashionMnistOptions, SearchDefaults } from "./fashion-mnist.ts";
export { EMBEDDED_FASHION_MNIST_DIR, EMBEDDED_PER_CLASS, makeEmbeddedSubset, verifyEmbeddedSubset } from "./embedded-subset.ts";
export type { EmbeddedManifest, ManifestFile, VerifiedSubset } from "./embedded-subset.ts";
export { loadMnist, loadMnistIdx } from "./mnist.ts";
export type { MnistPackageOptions } from "./mnist.ts";
export { splitDataset, syntheticRegression, tensorGenReg } from "./synthetic.ts";
export type { RegressionOptions } from "./synthetic.ts";
export { globalMeanStd, MNIST_MEAN_STD, normalizeMeanStd, scale, standardize } from "./normalize.ts";
export type { StandardizeMode, StandardizeStats } from "./normalize.ts";
export { firstRows } from "./first-rows.ts";
export { checkDataDirs, type DataDirOptions, mnistIdxDir } from "./data-dirs.ts";
export { dataSpecSchema, dataSeedOf, loadDataSpec, oneHotTargets, type DataSpec } from "./data-spec.ts";
