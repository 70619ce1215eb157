/**
 * Makes the embedded Fashion-MNIST subset (fixtures/data/fashion-mnist-embedded/) from the
 * full set: the first 600 train and 100 test rows of each class, in file order, as gzipped
 * IDX files plus manifest.json (this command, source and subset checksums).
 *
 *   bun scripts/make-embedded-subset.ts [--from DIR] [--out DIR]
 *   deno run -A scripts/make-embedded-subset.ts [--from DIR] [--out DIR]
 *
 * --from defaults to the search order of loadFashionMnist (GRADLAB_DATA_DIR, then
 * /usr/share/datasets/fashion-mnist). The IDX content is the same under Bun and Deno; the
 * gzipped bytes are not (their zlibs differ), so the loader checks the content's sha256.
 */
import process from "node:process";
import { relative } from "node:path";
import { EMBEDDED_FASHION_MNIST_DIR, makeEmbeddedSubset } from "../src/data/embedded-subset.ts";
import { locateFashionMnist } from "../src/data/fashion-mnist.ts";

const args = process.argv.slice(2);
const flags: Record<string, string> = {};
for (let i = 0; i < args.length; i += 2) {
  if ((args[i] !== "--from" && args[i] !== "--out") || args[i + 1] === undefined) {
    throw new Error(`bad arguments "${args.join(" ")}"; usage: make-embedded-subset.ts [--from DIR] [--out DIR]`);
  }
  flags[args[i]] = args[i + 1];
}

const from = locateFashionMnist({ dataDir: flags["--from"], env: process.env, subset: "full" });
const out = flags["--out"] ?? EMBEDDED_FASHION_MNIST_DIR;
const runner = "Deno" in globalThis ? "deno run -A" : "bun";
const command = [runner, "scripts/make-embedded-subset.ts", ...args].join(" ");
const manifest = await makeEmbeddedSubset(from.files, out, command);
console.log(`read ${from.dir} (via ${from.via})`);
for (const f of manifest.files) console.log(`wrote ${relative(process.cwd(), out)}/${f.file} [${f.dims}] sha256 ${f.sha256}`);
