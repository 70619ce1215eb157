/**
 * An explicit data directory that does not hold the data is an error in every command that
 * reads data, before any work; before, `report --data-dir typo` fell back to the quick
 * profile on the embedded subset while `train` and `run` refused the same typo.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../main.ts";

const tmp = mkdtempSync(join(tmpdir(), "gradlab-datadirs-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const typo = join(tmp, "typo");

async function gradlab(...argv: string[]) {
  let stderr = "";
  const t0 = performance.now();
  const code = await runCli(argv, { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stderr, ms: performance.now() - t0 };
}

const commands: string[][] = [
  ["run", "fashion-sigmoid-vs-relu"],
  ["fixtures", "verify", "--only", "E1"],
  ["report", "--out", join(tmp, "report"), "--no-browser"],
  ["bench", "--full-e1", "--only", "E1"],
];

test("--data-dir without Fashion-MNIST: every command refuses it at once, naming the flag", async () => {
  for (const argv of commands) {
    const r = await gradlab(...argv, "--data-dir", typo);
    assert.is(r.code, 1, argv.join(" "));
    assert.match(r.stderr, `gradlab: --data-dir ${typo}: no Fashion-MNIST there`);
    assert.ok(r.ms < 5000, `${argv[0]}: ${r.ms} ms`);
  }
});

test("GRADLAB_DATA_DIR and GRADLAB_MNIST_DIR without the data are refused the same way, naming the variable", async () => {
  const saved = { data: process.env.GRADLAB_DATA_DIR, mnist: process.env.GRADLAB_MNIST_DIR };
  try {
    process.env.GRADLAB_DATA_DIR = typo;
    let r = await gradlab("report", "--out", join(tmp, "report"), "--no-browser");
    assert.is(r.code, 1);
    assert.match(r.stderr, `gradlab: GRADLAB_DATA_DIR ${typo}: no Fashion-MNIST there`);
    delete process.env.GRADLAB_DATA_DIR;
    process.env.GRADLAB_MNIST_DIR = typo;
    r = await gradlab("run", "mnist-global-norm-clipping");
    assert.is(r.code, 1);
    assert.match(r.stderr, `gradlab: GRADLAB_MNIST_DIR ${typo}: no MNIST there`);
    delete process.env.GRADLAB_MNIST_DIR;
    r = await gradlab("fixtures", "verify", "--only", "E3", "--mnist-dir", typo);
    assert.is(r.code, 1);
    assert.match(r.stderr, `gradlab: --mnist-dir ${typo}: no MNIST there`);
  } finally {
    for (const [name, value] of [["GRADLAB_DATA_DIR", saved.data], ["GRADLAB_MNIST_DIR", saved.mnist]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});

test("output paths of run, bench and props are checked before any work, naming the flag", async () => {
  writeFileSync(join(tmp, "a-regular-file"), "x");
  const under = join(tmp, "a-regular-file", "x.json");
  for (const argv of [["run", "init-variance", "--out", under], ["bench", "--json", under], ["props", "--json", under], ["props", "--junit", under]]) {
    const r = await gradlab(...argv);
    const flag = argv[argv.length - 2]!;
    assert.equal([r.code, r.stderr], [1, `gradlab: ${flag} ${under}: ${join(tmp, "a-regular-file")} is a file, not a directory\n`], argv.join(" "));
  }
});

test.run();
