/**
 * The thresholds behind `gradlab check`'s verdicts and notes, each with why, stated once: the
 * text output, the JSON report and the page print them from here, and docs/check.md explains
 * them.
 */
import { VARIANCE_BAND } from "../experiments/mod.ts";

/**
 * The stated thresholds of `checkModel`'s verdicts (vanishing, exploding, saturated, dead).
 *
 * @example
 * console.log(CHECK_THRESHOLDS);
 */
export const CHECK_THRESHOLDS = {
  gradientRatio: {
    vanishingBelow: 0.1,
    explodingAbove: 10,
    why: "A layer's verdict compares its mean |∂L/∂W| with the last layer's. One learning rate moves every layer by rate × gradient, so a layer below 1/10 of the last layer's learns at least ten times slower (vanishing; Glorot & Bengio 2010, §4.2, study how back-propagated gradients shrink toward the input), and one above 10× gets steps ten times too large for a rate that suits the last layer (exploding). Any NaN or ±Inf in the loss or a gradient is exploding.",
  },
  saturation: {
    derivativeFraction: 0.1,
    shareAbove: 0.5,
    why: "A sigmoid or tanh unit is saturated on a row when its derivative is below 1/10 of its maximum (σ′ < 0.025: σ outside [0.026, 0.974], |z| > 3.64; tanh′ < 0.1: |tanh| > 0.949, |z| > 1.82): it passes back less than a tenth of what it passes at its steepest (Glorot & Bengio 2010, §3.1, on saturated sigmoid layers). The note fires when more than half of a layer's unit activations (rows × units) are saturated.",
  },
  deadRelu: {
    shareAbove: 0.5,
    why: "A ReLU unit is dead on this batch when its output is 0 on every row: no gradient reaches its incoming weights from this batch (Lu et al. 2019, \"Dying ReLU and Initialization\"). The note fires when more than half of a layer's units are dead.",
  },
  varianceBand: {
    low: VARIANCE_BAND.low,
    high: VARIANCE_BAND.high,
    why: `Glorot & Bengio (2010), §4.2.1: signals keep their scale through depth when the variance of the activations (forward) and of the back-propagated gradients (backward) stays the same from layer to layer. Their geometric mean ratio per layer over the hidden layers counts as kept in [${VARIANCE_BAND.low}, ${VARIANCE_BAND.high}], the band experiment E6 uses (a factor ${VARIANCE_BAND.high}⁹ ≈ 7.5 over 9 transitions). The input and output transitions are left out of it: where the width changes, the per-unit variance moves by fan-out/fan-in by itself, and both conditions cannot hold at once (Glorot's compromise). Informational: it explains the verdict, it does not make it.`,
  },
} as const;

export type CheckThresholds = typeof CHECK_THRESHOLDS;
