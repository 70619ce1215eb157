// Your own code: an activation and a layer builder, right and wrong, to check with gradlab's laws.
import * as tf from "@tensorflow/tfjs";

/** σ(x) = exp(−softplus(−x)): stable in both tails, its gradient too. */
export const mySigmoid = (z) => tf.exp(tf.neg(tf.softplus(tf.neg(z))));

/** The textbook 1/(1 + e^−x): its gradient e^−x/(1 + e^−x)² overflows to NaN below x ≈ −88.7. */
export const naiveSigmoid = (z) => tf.div(1, tf.add(1, tf.exp(tf.neg(z))));

/** A dense layer with Glorot-uniform weights and no bias. */
export const myLayer = ({ units }, seed) =>
  tf.layers.dense({ units, useBias: false, kernelInitializer: tf.initializers.glorotUniform({ seed }) });

/** The same layer with He weights (variance 2/fan-in): right for ReLU nets, not Glorot's condition. */
export const heLayer = ({ units }, seed) =>
  tf.layers.dense({ units, useBias: false, kernelInitializer: tf.initializers.heNormal({ seed }) });
