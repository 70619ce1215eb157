/**
 * The report's sections in page order: which source feeds each, and which figures it draws.
 * A section appears with its figures when its source is there, marked failed when the
 * source is broken, and as a short note when there is none.
 */
import type { Figure } from "./figure.ts";
import { activationDerivativesFigure, type MeasuredDerivatives } from "./figures/activation-derivatives.ts";
import { e1AccuracyFigure } from "./figures/e1-accuracy.ts";
import { e1GradientsFigure } from "./figures/e1-gradients.ts";
import { e1LayerSummaryFigure } from "./figures/e1-layer-summary.ts";
import { e2GradientDistributionsFigure } from "./figures/e2-gradient-distributions.ts";
import { e2WeightsFigure } from "./figures/e2-weights.ts";
import { e3GlobalNormFigure } from "./figures/e3-global-norm.ts";
import { e3TensorNormsFigure } from "./figures/e3-tensor-norms.ts";
import { e4BatchNormFigure } from "./figures/e4-batch-norm.ts";
import { e6VarianceFigure } from "./figures/e6-variance.ts";

/** An experiment section: the experiment it shows and its figures, from the result. */
export interface ExperimentSection {
  id: string;
  experiment: string;
  /** what the section shows, one line, for the table of contents */
  heading: string;
  // deno-lint-ignore no-explicit-any
  figures: ((result: any) => Figure)[];
}

/** E1…E6 in page order. E5 draws no figure: its claims are its content. */
export const EXPERIMENT_SECTIONS: readonly ExperimentSection[] = [
  { id: "E1", experiment: "fashion-sigmoid-vs-relu", heading: "Fashion-MNIST: sigmoid vs ReLU", figures: [e1AccuracyFigure, e1GradientsFigure, e1LayerSummaryFigure] },
  { id: "E2", experiment: "lesson-glorot", heading: "Stacked sigmoid/tanh/ReLU nets and the Glorot condition", figures: [e2GradientDistributionsFigure, e2WeightsFigure] },
  { id: "E3", experiment: "mnist-global-norm-clipping", heading: "Clipping by global norm", figures: [e3GlobalNormFigure, e3TensorNormsFigure] },
  { id: "E4", experiment: "mnist-bn-elu-he", heading: "Batch normalization, ELU and He init", figures: [e4BatchNormFigure] },
  { id: "E5", experiment: "mnist-relu-sgd-momentum", heading: "A healthy ReLU baseline (SGD with momentum)", figures: [] },
  { id: "E6", experiment: "init-variance", heading: "Variance per layer at initialization", figures: [e6VarianceFigure] },
];

/** The derivatives section: drawn from the formulas, annotated with E2's autodiff measurements. */
export function derivativeFigures(measured?: MeasuredDerivatives, grid?: { min: number; max: number }): Figure[] {
  return [activationDerivativesFigure(measured, grid)];
}
