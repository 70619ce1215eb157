/**
 * Where results are written: output paths checked before any work, files written whole
 * (write-file-atomic), `-` as standard output, and directories built aside and swapped in.
 * Every file gradlab writes goes through here.
 */
export { checkOutputDirectory, checkOutputFile, OutputPathError, type OutputFileOptions } from "./output-path.ts";
export { replaceDirectory, type ReplaceDirectoryOptions } from "./replace-directory.ts";
export { type TextSink, writeFileAtomic, writeOutput } from "./write-file.ts";
export { type TargetKind, type WriteTarget, writeTarget } from "./write-target.ts";
export { checkOutputDir, OUTPUT_MANIFEST, type OutputFile, readOutputManifest, writeOutputDir } from "./output-directory.ts";
