/**
 * Where gradlab's own files are (experiments/, fixtures/): the repository, or the installed
 * package. A module runs either from the TypeScript sources (src/…: Bun, Deno, the CLI) or from
 * the JavaScript the build wrote (dist/src/…: the npm entry point), one directory deeper; the
 * root is the directory with the package.json.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package root for a module whose src/ parent is `aboveSrc` (the repository root from the
 * sources, dist/ from the built JavaScript).
 *
 * @example
 * packageRootOf("/pkg/dist/"); // "/pkg" when /pkg/package.json exists and /pkg/dist/package.json does not
 */
export function packageRootOf(aboveSrc: string): string {
  const parent = dirname(aboveSrc);
  return !existsSync(join(aboveSrc, "package.json")) && existsSync(join(parent, "package.json")) ? parent : aboveSrc;
}

/** gradlab's package root (the repository in a checkout). */
export const PACKAGE_ROOT = packageRootOf(fileURLToPath(new URL("../..", import.meta.url)));

/**
 * A path inside gradlab's package.
 *
 * @example
 * packagePath("experiments", "fashion-sigmoid-vs-relu.json");
 */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}
