/** The statistics behind the initializer laws, against known values. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TRUNCATED_NORMAL_STDDEV } from "../../src/core/mod.ts";
import {
  dkwEpsilon, erfc, gaussianExpectation, kolmogorovSmirnov, kurtosis, normalCdf, normalQuantile, sampleMoments, standardizedMoments, truncatedNormalM6, truncatedNormalMoments, twoSidedZ,
} from "./stats.ts";

const near = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test("normal CDF at known points (tables to 1e-7)", () => {
  near(normalCdf(0), 0.5, 1e-7);
  near(normalCdf(1), 0.8413447461, 1e-7);
  near(normalCdf(-1.959963985), 0.025, 1e-7);
  near(normalCdf(3), 0.9986501020, 1e-7);
  near(erfc(-0.5) + erfc(0.5), 2, 1e-12);
});

test("the quantile inverts the CDF; z for α = 1e-6 is 4.8916", () => {
  for (const p of [1e-9, 1e-4, 0.02, 0.3, 0.5, 0.9, 0.999]) near(normalCdf(normalQuantile(p)), p, 1e-7 * Math.max(p, 1e-2));
  near(twoSidedZ(0.05), 1.959964, 1e-5);
  near(twoSidedZ(1e-6), 4.891638, 1e-5);
});

test("the truncated normal's second moment matches the core's constant 0.8796²", () => {
  near(truncatedNormalMoments(2).m2, TRUNCATED_NORMAL_STDDEV ** 2, 1e-7);
  near(kurtosis("truncatedNormal"), 2.36555, 1e-4); // E[z⁴] = 3·0.773737 − 16φ(2)/0.954500 = 1.416176; / 0.773737² = 2.36555
  assert.is(kurtosis("normal"), 3);
  near(truncatedNormalM6(8), 15, 1e-9);
  near(standardizedMoments("uniform").m6, 27 / 7, 1e-12);
});

test("Gaussian expectations by quadrature: E[ξ²] = 1, E[ξ⁴] = 3, E[tanh²(ξ)] = 0.3943", () => {
  near(gaussianExpectation((x) => x * x), 1, 1e-12);
  near(gaussianExpectation((x) => x ** 4), 3, 1e-10);
  near(gaussianExpectation((x) => Math.tanh(x) ** 2), 0.394294, 1e-6);
});

test("sample moments are the mean and the biased variance", () => {
  assert.equal(sampleMoments([1, 2, 3]), { mean: 2, variance: 2 / 3 });
});

test("KS statistic of evenly spaced points against the uniform CDF is 1/(2n)", () => {
  const n = 100;
  const xs = Array.from({ length: n }, (_, i) => (i + 0.5) / n);
  near(kolmogorovSmirnov(xs, (x) => x), 1 / (2 * n), 1e-12);
  near(kolmogorovSmirnov([0.9, 0.9, 0.9], (x) => x), 0.9, 1e-12);
});

test("the DKW threshold solves 2·exp(−2nε²) = α", () => {
  const e = dkwEpsilon(10_000, 1e-6);
  near(2 * Math.exp(-2 * 10_000 * e * e), 1e-6, 1e-15);
});

test.run();
