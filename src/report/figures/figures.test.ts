import { existsSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ExperimentName, Profile } from "../../experiments/mod.ts";
import { fixturePath, readFixture } from "../../golden/mod.ts";
import { type Figure, renderFigure } from "../figure.ts";
import { countMarks, syntheticE1Result } from "../testing.ts";
import { activationDerivativesFigure } from "./activation-derivatives.ts";
import { e1AccuracyFigure } from "./e1-accuracy.ts";
import { e1GradientsFigure } from "./e1-gradients.ts";
import { e1LayerSummaryFigure } from "./e1-layer-summary.ts";
import { e2GradientDistributionsFigure } from "./e2-gradient-distributions.ts";
import { e2WeightsFigure } from "./e2-weights.ts";
import { e3GlobalNormFigure } from "./e3-global-norm.ts";
import { e3TensorNormsFigure } from "./e3-tensor-norms.ts";
import { e4BatchNormFigure } from "./e4-batch-norm.ts";
import { e6VarianceFigure } from "./e6-variance.ts";
import { logAxis, powerOfTen } from "./_log-axis.ts";

/** Text as Vega writes it into SVG (quotes are left alone in element content). */
function xmlText(t: string): string {
  return t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Renders a figure and checks what every figure needs: a title, axis titles with units, marks. */
async function rendered(figure: Figure, axisTitles: string[]) {
  const r = await renderFigure(figure);
  assert.ok(r.svg.includes(`>${xmlText(figure.title)}</text>`), `${figure.id}: the title is drawn`);
  for (const t of axisTitles) assert.ok(r.svg.includes(`>${xmlText(t)}</t`), `${figure.id}: axis title ${t}`); // </text> or </tspan>
  assert.ok(countMarks(r.svg) > 0, `${figure.id}: marks were drawn`);
  assert.ok(figure.caption.length > 40, `${figure.id}: a caption that says what to notice`);
  assert.is(r.file, `figures/${figure.id}.svg`);
  return r;
}

const e1 = syntheticE1Result();

test("E1 accuracy: train and test per epoch for both activations, in percent", async () => {
  const f = e1AccuracyFigure(e1);
  const r = await rendered(f, ["epoch", "accuracy (%)"]);
  assert.is((f.spec as { data: { values: unknown[] } }).data.values.length, 2 * 2 * 3, "2 activations × train/test × 3 epochs");
  assert.match(f.caption, /ReLU ends at 81% test accuracy, sigmoid at 28%/);
  assert.ok(r.svg.includes(">sigmoid</text>") && r.svg.includes(">relu</text>"), "a legend names both");
});

test("E1 gradients: one panel per layer, a shared log axis labelled in powers of ten", async () => {
  const f = e1GradientsFigure(e1);
  const r = await rendered(f, ["mean |∂L/∂W|", "(nats per unit weight, log)", "iteration (batches of 256)"]);
  for (let l = 1; l <= 5; l++) assert.ok(r.svg.includes(`>layer ${l} (`), `panel for layer ${l}`);
  assert.ok(r.svg.includes(">10⁻³</text>"), "powers of ten on the axis");
  assert.match(f.caption, /every 2 iterations/);
});

test("E1 layer summary: layer 1 → 5 for both activations; the caption quotes the ratios", async () => {
  const f = e1LayerSummaryFigure(e1);
  await rendered(f, ["layer (1 = next to the input)"]);
  // synthetic: sigmoid ×4 per layer over 4 steps = 256×, relu 1.3⁴ ≈ 2.86×
  assert.match(f.caption, /Sigmoid's last-layer gradient is 256× its first-layer gradient; ReLU's is 2\.86×\. At every layer ReLU's gradient is larger.*the vanishing, at a glance/);
});

test("the derivative figure: σ′ and tanh′ with their bounds 0.25 and 1, without and with E2's measurements", async () => {
  const f = activationDerivativesFigure();
  const r = await rendered(f, ["pre-activation z (dimensionless)", "derivative f′(z)"]);
  assert.ok(r.svg.includes("σ′ ≤ 0.25 (at x = 0)"));
  const measured = activationDerivativesFigure([{ activation: "sigmoid", max: 0.25, argmax: 0, atMin: 4.5e-5, atMax: 4.5e-5 }]);
  assert.match(measured.caption, /maximum 0\.25 at x = 0/);
  assert.not.match(measured.caption, /σ′\(/, "without the grid, no ends are named");
  const onGrid = activationDerivativesFigure([{ activation: "sigmoid", max: 0.25, argmax: 0, atMin: 4.5e-5, atMax: 6.1e-4 }], { min: -10, max: 7 });
  assert.match(onGrid.caption, /σ′\(-10\) ≈ 4\.5e-5 and σ′\(7\) ≈ 6\.1e-4\./);
});

test("logAxis: ticks at the powers of ten covering the data, labelled with superscripts", () => {
  assert.equal(logAxis([3e-5, 2e-2]).values, [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]);
  assert.is(logAxis([1e-27, 1]).values.length <= 8, true, "many decades: every k-th power");
  assert.is(powerOfTen(-3), "10⁻³");
  assert.is(powerOfTen(0), "1");
  assert.is(powerOfTen(12), "10¹²");
});

// The other experiments' figures are drawn from their committed quick fixtures.
const fromFixture: [ExperimentName, (r: never) => Figure, string[]][] = [
  ["lesson-glorot", e2GradientDistributionsFigure, ["layer (1 = next to the input)", "∂L/∂W per element"]],
  ["lesson-glorot", e2WeightsFigure, ["weight value"]],
  ["mnist-global-norm-clipping", e3GlobalNormFigure, ["iteration (batches of 256)", "global norm G = √Σ‖gᵢ‖²"]],
  ["mnist-global-norm-clipping", e3TensorNormsFigure, ["iteration", "‖gᵢ‖₂ (log)"]],
  ["mnist-bn-elu-he", e4BatchNormFigure, ["epoch", "test accuracy (%)"]],
  ["init-variance", e6VarianceFigure, ["layer", "Var(hₗ), forward", "Var(∂L/∂zₗ), backward"]],
];
const profile: Profile = "quick";
for (const [experiment, build, axes] of fromFixture) {
  const name = `${build.name} from fixtures/${experiment}/${profile}.json`;
  if (existsSync(fixturePath(experiment, profile))) {
    test(name, async () => {
      await rendered(build(readFixture(experiment, profile) as never), axes);
    });
  } else {
    console.log(`skip: ${name}: the fixture is not in this checkout`);
    test.skip(name);
  }
}

test.run();
