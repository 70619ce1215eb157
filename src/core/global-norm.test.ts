import * as tf from "@tensorflow/tfjs-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { useBackend } from "../backend/mod.ts";
import { restoreBackendAfter } from "../backend/testing.ts";
import { accurateGlobalNorm, globalNormFromParts } from "./global-norm.ts";

restoreBackendAfter(test);

/** G of tensors made from `values`, on `backend`, the tensors disposed. */
async function normOf(backend: "cpu" | "wasm", ...values: number[][]): Promise<number> {
  await useBackend(backend);
  const tensors = values.map((v) => tf.tensor1d(v));
  try {
    return await accurateGlobalNorm(tensors);
  } finally {
    tf.dispose(tensors);
  }
}

for (const backend of ["cpu", "wasm"] as const) {
  test(`${backend}: √(3² + 4²) = 5 and √(1 + 4 + 9 + … ) over several tensors`, async () => {
    assert.is(await normOf(backend, [3], [4]), 5);
    assert.is(await normOf(backend, [1, 2], [2], [4, 0, 0]), 5);
  });

  test(`${backend}: no tensors, empty or all-zero tensors give 0 (no NaN)`, async () => {
    assert.is(await normOf(backend), 0);
    assert.is(await normOf(backend, [], [0, 0, -0]), 0);
  });

  test(`${backend}: magnitudes whose squares leave float32 (1e30, 1e-30, subnormal, near F32_MAX) stay exact to float32's rounding`, async () => {
    for (const scale of [1e30, 1e-30, 1e-40, 8e37]) {
      const v = [3 * scale, 4 * scale].map(Math.fround);
      const want = Math.hypot(v[0]!, v[1]!);
      const got = await normOf(backend, [v[0]!], [v[1]!]);
      assert.ok(Math.abs(got - want) <= 4 * 2 ** -24 * want, `scale ${scale}: ${got} vs ${want}`);
    }
  });

  test(`${backend}: a NaN or an infinity makes G non-finite`, async () => {
    assert.ok(Number.isNaN(await normOf(backend, [1, NaN])));
    assert.not.ok(Number.isFinite(await normOf(backend, [1], [Infinity])));
  });
}

test("globalNormFromParts: √S / r in float64", () => {
  assert.is(globalNormFromParts(0.25, 4), 8);
  assert.is(globalNormFromParts(1, 0), 0);
});

test.run();
