/**
 * Law (source 001, TF1's batch_normalization): after a training step, each moving statistic
 * becomes moving' = momentum·moving + (1 − momentum)·batch, elementwise, for any momentum in
 * [0, 1] (0.9 in the seed); the core's training loop applies exactly this update.
 */
import * as fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { Rng, updateMovingAverage } from "../../src/core/mod.ts";
import { logUniform, seed32, uniformReal } from "../_internals/arbitraries.ts";
import { fmt, isClose } from "../_internals/close.ts";
import { expect } from "../_internals/expect.ts";
import { defineLaw, type Law } from "../law.ts";
import { movingAverageTolerance } from "../tolerance.ts";

/** A moving-average update under test: the core's `updateMovingAverage` unless a fault is planted. */
export type UpdateMovingAverage = (moving: tf.Variable, batch: tf.Tensor, momentum: number) => void;

/**
 * The law, for an update implementation.
 *
 * @example
 * const law = batchNormMovingAverage();
 */
export function batchNormMovingAverage(update: UpdateMovingAverage = updateMovingAverage): Law {
  return defineLaw({
    name: "batchnorm-moving-average",
    group: "batch-norm",
    statement: "Each moving statistic is updated as moving' = momentum·moving + (1 − momentum)·batch, elementwise.",
    runs: 40,
    tolerance: () => ({ rule: "4·unit·(|momentum·moving| + |(1 − momentum)·batch|): two products, a sum, the float32 1 − momentum", values: {} }),
    property: ({ tolerance: bt }) =>
      fc.asyncProperty(
        fc.integer({ min: 1, max: 64 }),
        fc.oneof(fc.constantFrom(0, 0.9, 0.99, 1), uniformReal(0, 1)),
        logUniform(-4, 4),
        fc.integer({ min: 1, max: 5 }),
        seed32(),
        async (features, momentum, scale, steps, seed) => {
          const rng = new Rng(seed);
          const initial = Float32Array.from({ length: features }, () => scale * rng.normal());
          const moving = tf.tidy(() => tf.variable(tf.tensor1d(initial)));
          try {
            for (let step = 0; step < steps; step++) {
              const before = Float32Array.from(await moving.data());
              const batch = Float32Array.from({ length: features }, () => scale * (1 + rng.normal()));
              const batchTensor = tf.tensor1d(batch);
              update(moving, batchTensor, momentum);
              batchTensor.dispose();
              const after = await moving.data();
              for (let j = 0; j < features; j++) {
                const want = momentum * before[j] + (1 - momentum) * batch[j];
                const tol = movingAverageTolerance(bt, momentum, before[j], batch[j]);
                expect(isClose(after[j], want, { rtol: 0, atol: tol }), () =>
                  `step ${step + 1}, feature ${j}: moving' = ${fmt(after[j])}, expected ${fmt(momentum)}·${fmt(before[j])} + (1 − ${fmt(momentum)})·${fmt(batch[j])} = ${fmt(want)}`);
              }
            }
          } finally {
            moving.dispose();
          }
        },
      ),
  });
}
