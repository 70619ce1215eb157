/**
 * batchNormBackward's `into`: the engine's reused buffers get the bits fresh arrays get, every
 * element overwritten; buffers of the wrong size are refused, each named. (The math itself is
 * the engine-batch-norm law's, against float64 at every step.)
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { batchNormBackward } from "./batchnorm.ts";
import { Rng } from "./random.ts";

const m = 5, n = 3;
const rng = new Rng(7);
const values = (count: number) => Float32Array.from({ length: count }, () => rng.normal());
const dyT = values(n * m), xhat = values(m * n), rstd = values(n).map(Math.abs), gamma = values(n);

test("into: the same bits as fresh arrays, whatever the buffers held before", () => {
  const fresh = batchNormBackward(dyT, xhat, rstd, gamma, m, n);
  const into = { dzT: new Float32Array(n * m).fill(NaN), dGamma: new Float32Array(n).fill(NaN), dBeta: new Float32Array(n).fill(NaN) };
  const r = batchNormBackward(dyT, xhat, rstd, gamma, m, n, into);
  assert.ok(r.dzT === into.dzT && r.dGamma === into.dGamma && r.dBeta === into.dBeta, "the results are the buffers given");
  assert.equal(Array.from(r.dzT), Array.from(fresh.dzT));
  assert.equal(Array.from(r.dGamma), Array.from(fresh.dGamma));
  assert.equal(Array.from(r.dBeta), Array.from(fresh.dBeta));
});

test("into: buffers of the wrong size are refused", () => {
  const ok = { dzT: new Float32Array(n * m), dGamma: new Float32Array(n), dBeta: new Float32Array(n) };
  assert.throws(() => batchNormBackward(dyT, xhat, rstd, gamma, m, n, { ...ok, dzT: new Float32Array(n * m - 1) }), /dzT 14, dGamma 3, dBeta 3 floats; 15, 3, 3 needed/);
  assert.throws(() => batchNormBackward(dyT, xhat, rstd, gamma, m, n, { ...ok, dBeta: new Float32Array(n + 1) }), /dBeta 4 floats/);
});

test.run();
