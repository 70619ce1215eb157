/**
 * The implementations a law takes: the core's by default, a planted fault in faults.test.ts,
 * or a user's own (docs/library.md). Each law factory names the one it takes.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { ActivationSpec, InitializerSpec, Model, ModelSpec, Rng } from "../src/core/mod.ts";

/**
 * An activation implementation under test: the core's `activate`, a planted fault, or a
 * user's own function. It gets the spec the law checks (e.g. `{ name: "sigmoid" }`, or
 * leakyRelu's alpha) and the pre-activations, and returns f(z) elementwise; tf.grad
 * differentiates it. A user's function that computes one activation may ignore the spec.
 *
 * @example
 * const mySigmoid: Activate = (_spec, z) => tf.exp(tf.neg(tf.softplus(tf.neg(z))));
 */
export type Activate = (spec: ActivationSpec, z: tf.Tensor) => tf.Tensor;

/**
 * The forward pass under test: the core's training-mode forward unless a fault is planted.
 *
 * @example
 * const pass: ForwardPass = (model, x) => myForward(model, x);
 */
export type ForwardPass = (model: Model, x: tf.Tensor2D) => tf.Tensor2D;

/**
 * Model creation under test: the core's `createModel` unless a fault is planted.
 *
 * @example
 * const create: CreateModel = (spec, rng) => createModel(spec, rng); await assertLaw(varianceThroughDepth(create));
 */
export type CreateModel = (spec: ModelSpec, rng: Rng) => Model;

/**
 * The initializer implementation under test: the core's `initialValues` unless a fault is planted.
 *
 * @example
 * const draw: DrawInitial = (spec, count, fanIn, fanOut, rng) => myInit(spec, count, fanIn, fanOut, rng);
 */
export type DrawInitial = (spec: InitializerSpec, count: number, fanIn: number, fanOut: number, rng: Rng) => Float32Array;
