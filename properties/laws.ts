/**
 * Every law, in report order. Each entry is the law with the core's own implementation;
 * faults.test.ts builds the same laws around planted faults.
 */
import { eluDerivative } from "./activations/elu-derivative.ts";
import { leakyReluDerivative } from "./activations/leaky-relu-derivative.ts";
import { reluDerivative } from "./activations/relu-derivative.ts";
import { seluDerivative } from "./activations/selu-derivative.ts";
import { sigmoidDerivative } from "./activations/sigmoid-derivative.ts";
import { tanhDerivative } from "./activations/tanh-derivative.ts";
import { compoundingFactors } from "./depth/compounding-factors.ts";
import { reluOrthogonalChain } from "./depth/relu-orthogonal-chain.ts";
import { sigmoidChainBound } from "./depth/sigmoid-chain-bound.ts";
import { initializerDistributionLaw } from "./initializers/initializer-distribution.ts";
import { initializerMoments } from "./initializers/initializer-moments.ts";
import { badInitThroughDepth } from "./initializers/bad-init-through-depth.ts";
import { glorotCondition } from "./initializers/glorot-condition.ts";
import { varianceThroughDepth } from "./initializers/variance-through-depth.ts";
import { zeroInitSymmetry } from "./initializers/zero-init-symmetry.ts";
import { backendAgreement } from "./backends/backend-agreement.ts";
import { batchNormConstantFeature } from "./batch-norm/batchnorm-constant-feature.ts";
import { batchNormInference } from "./batch-norm/batchnorm-inference.ts";
import { batchNormInputGradient } from "./batch-norm/batchnorm-input-gradient.ts";
import { batchNormInvariance } from "./batch-norm/batchnorm-invariance.ts";
import { batchNormMovingAverage } from "./batch-norm/batchnorm-moving-average.ts";
import { batchNormTrainMoments } from "./batch-norm/batchnorm-train-moments.ts";
import { clipByGlobalNormLaw } from "./clipping/clip-by-global-norm.ts";
import { clipByNormLaw } from "./clipping/clip-by-norm.ts";
import { clipByValueLaw } from "./clipping/clip-by-value.ts";
import { clipNonFinite } from "./clipping/clip-non-finite.ts";
import { engineBatchNorm } from "./engine/engine-batch-norm.ts";
import { engineClipping } from "./engine/engine-clipping.ts";
import { engineOptimizerStep } from "./engine/engine-optimizer-step.ts";
import { engineRecordedStatistics } from "./engine/engine-recorded-statistics.ts";
import { gradientCheck } from "./gradients/gradient-check.ts";
import { globalNormPrecision } from "./gradients/global-norm-precision.ts";
import type { Law } from "./law.ts";

/**
 * Every law of the training core, in report order, each with the core's own implementation.
 *
 * @example
 * for (const law of LAWS) await assertLaw(law, { backend: "cpu" });
 */
export const LAWS: readonly Law[] = [
  sigmoidDerivative(),
  tanhDerivative(),
  reluDerivative(),
  leakyReluDerivative(),
  eluDerivative(),
  seluDerivative(),
  sigmoidChainBound(),
  reluOrthogonalChain(),
  compoundingFactors(),
  initializerMoments(),
  initializerDistributionLaw(),
  glorotCondition(),
  varianceThroughDepth(),
  badInitThroughDepth(),
  zeroInitSymmetry(),
  clipByGlobalNormLaw(),
  clipNonFinite(),
  clipByNormLaw(),
  clipByValueLaw(),
  batchNormTrainMoments(),
  batchNormInvariance(),
  batchNormConstantFeature(),
  batchNormMovingAverage(),
  batchNormInference(),
  batchNormInputGradient(),
  gradientCheck(),
  globalNormPrecision(),
  engineOptimizerStep(),
  engineClipping(),
  engineRecordedStatistics(),
  engineBatchNorm(),
  backendAgreement(),
];
