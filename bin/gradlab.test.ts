/**
 * The npm launcher (bin/gradlab.js, run by Node) and its runtime child: a signal sent to the
 * launcher reaches the child, and the launcher ends as the child did. Before, `kill` on the
 * launcher left the Bun child training, and writing its output 20 s later.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout } from "node:timers";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isAlive } from "../src/testing/subprocess.ts";

const launcher = fileURLToPath(new URL("./gradlab.js", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "gradlab-launcher-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

/** A synthetic regression run long enough (~minutes) to be killed midway. */
const longRun = {
  model: {
    inputSize: 2,
    layers: [
      { units: 64, activation: { name: "tanh" }, kernelInitializer: { name: "torchDefault" }, biasInitializer: { name: "torchDefault" }, useBias: true },
      { units: 1, activation: { name: "linear" }, kernelInitializer: { name: "torchDefault" }, biasInitializer: { name: "torchDefault" }, useBias: true },
    ],
  },
  training: { loss: "mse", optimizer: { name: "sgd", learningRate: 0.01 }, batchSize: 1, epochs: 100000, shuffle: true, clipping: { name: "none" }, record: { every: 0 } },
  data: { dataset: "synthetic-regression", samples: 200 },
};

/** The child processes of `pid` (Linux). */
function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A pause that does not keep the process alive on its own. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

for (const signal of ["SIGTERM", "SIGHUP", "SIGINT"] as const) {
  test(`${signal} to the launcher ends the runtime child too; the launcher ends by the same signal`, async () => {
    const config = join(tmp, `long-${signal}.json`), out = join(tmp, `out-${signal}.json`);
    writeFileSync(config, JSON.stringify(longRun));
    const node = spawn("node", [launcher, "train", config, "--seed", "1", "--backend", "cpu", "--out", out], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    const started = new Promise<void>((resolve) => {
      node.stderr!.on("data", (b: Buffer) => {
        stderr += b.toString();
        if (stderr.includes("gradlab: training")) resolve();
      });
    });
    const ended = new Promise<[number | null, string | null]>((resolve) => node.on("close", (code, sig) => resolve([code, sig])));
    await Promise.race([started, ended, sleep(30_000)]);
    const kids = children(node.pid!);
    try {
      assert.is(kids.length, 1, `one runtime child (stderr: ${stderr})`);
      node.kill(signal);
      const [code, sig] = await Promise.race([ended, sleep(10_000).then(() => [null, "still running"] as [null, string])]);
      assert.equal([code, sig], [null, signal], "the launcher ends by the signal (exit status 128 + n)");
      for (let i = 0; i < 50 && isAlive(kids[0]!); i++) await sleep(100);
      assert.not.ok(isAlive(kids[0]!), "the runtime child ended within 5 s");
      assert.not.ok(existsSync(out), "the child did not go on to write its result");
    } finally {
      for (const pid of [node.pid!, ...kids]) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    }
  });
}

test.run();
