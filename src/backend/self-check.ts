/**
 * The backend self-check: a handful of computations whose answers are known exactly, run on
 * a backend when it is chosen. A backend that gets one wrong is refused, with the op, the
 * expected and the returned value, before anything trains on it.
 *
 * The computations are those training depends on, and those backends have got wrong:
 * tfjs-backend-webgpu's addN of 8 or more tensors returned a stale value (and spoiled the
 * ops dispatched with it), so the loss, the accuracy count, the non-finite probe and the
 * global norm all read 0. Integers small enough to be exact in float32 make most answers
 * exact on every backend whatever the summation order; the transcendental ones carry a
 * tolerance far above any backend's kernel error (≤ 16 ulp ≈ 1e-6) and far below a wrong op's.
 *
 * Subnormals: a backend may flush subnormal inputs and results of float operations to zero
 * (WGSL allows it: https://www.w3.org/TR/WGSL/#floating-point-evaluation; XNNPACK flushes some
 * results). Where a subnormal changes the answer, either the exact answer or the one for
 * flushed values is right; anything else is refused. Which one the backend gave is reported
 * (`subnormals`), and the property suites' tolerance model states it per backend.
 */
import * as tf from "@tensorflow/tfjs-core";
// The gradient functions (selu's is checked): tfjs-core registers none, the umbrella package all.
import "@tensorflow/tfjs";

/** One known computation. */
interface KnownComputation {
  /** the op and its inputs, as the refusal names it */
  op: string;
  /** builds the result on the active backend (inside tf.tidy) */
  compute: () => tf.Tensor;
  /** the exact answer (float64, then rounded to float32 where the op's result is one) */
  expected: ArrayLike<number>;
  /** the answer when subnormal inputs or results are flushed to zero, where that differs */
  flushed?: ArrayLike<number>;
  /** relative tolerance; 0 = exact (NaN must be NaN, −0 equals 0) */
  rtol: number;
}

/** What the self-check found on one backend. */
export interface SelfCheckReport {
  /** tfjs's name of the backend the computations ran on */
  backend: string;
  /** how many computations ran, and how many elements they compared */
  computations: number;
  elements: number;
  /** whether the subnormal cases came back exact or flushed to zero */
  subnormals: "kept" | "flushed";
  /** wall time of the check */
  ms: number;
}

/** One wrong answer, or an op that threw. */
export interface SelfCheckFailure {
  op: string;
  /** the error it threw instead of answering */
  threw?: string;
  /** the first wrong element, its expected and returned values */
  index: number;
  expected: number;
  returned: number;
  /** how many elements were wrong */
  wrong: number;
  rtol: number;
}

/**
 * A backend that computed wrong numbers: refused, never trained on.
 *
 * @example
 * try { await useBackend("webgpu"); } catch (e) { if (e instanceof BackendRefusedError) console.error(e.message); }
 */
export class BackendRefusedError extends Error {
  constructor(readonly backend: string, readonly failures: readonly SelfCheckFailure[]) {
    super(
      `backend "${backend}" failed gradlab's self-check and is refused (it computes wrong numbers; nothing will be trained on it):\n` +
        failures.map(describeFailure).join("\n"),
    );
    this.name = "BackendRefusedError";
  }
}

/** Relative tolerance of the transcendental kernels' answers (see the header). */
const KERNEL_RTOL = 1e-5;
// SELU's constants (Klambauer et al. 2017): src/core's, not imported (src/backend sits below src/core).
const SELU_LAMBDA = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;
const TINY = 2 ** -149; // the smallest subnormal float32
const SMALL = 2 ** -130; // a subnormal with 19 bits of precision

/** f(0), …, f(n − 1) as a float32 vector. */
function vector(n: number, f: (i: number) => number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => f(i));
}

/**
 * The known computations. Each is small; together they cost one read per computation.
 *
 * @example
 * knownComputations().map((c) => c.op);
 */
function knownComputations(): KnownComputation[] {
  const addN40 = Array.from({ length: 40 }, (_, i) => [i + 1, -2 * (i + 1), 0.25 * (i + 1)]);
  // 12 tensors, the k-th of k elements equal to k: Σ k·k² = (12·13/2)² = 78², so G = 78.
  const normSizes = Array.from({ length: 12 }, (_, k) => k + 1);
  const stackRows = 12, stackWidth = 1024;
  const [m, k, n] = [64, 48, 40];
  const a = vector(m * k, (i) => ((Math.floor(i / k) * 7 + (i % k) * 3) % 11) - 5);
  const b = vector(k * n, (i) => ((Math.floor(i / n) * 5 + (i % n) * 2) % 9) - 4);
  const product = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let l = 0; l < k; l++) product[i * n + j] += a[i * k + l] * b[l * n + j];
  const ramp = vector(100_000, (i) => (i % 7) - 3);
  // Row r is a permutation of −r…36−r (13 is prime to 37): one maximum per row, no ties.
  const rows = vector(50 * 37, (i) => ((Math.floor(i / 37) * 7 + (i % 37) * 13) % 37) - Math.floor(i / 37));
  const rowMax = Array.from({ length: 50 }, (_, r) => Math.max(...rows.subarray(r * 37, r * 37 + 37)));
  const rowArgMax = Array.from({ length: 50 }, (_, r) => rows.subarray(r * 37, r * 37 + 37).indexOf(rowMax[r]));
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const points = [-4, -0.5, 0, 0.75, 3];
  const seluPoints = [-2, -0.25, 0.5, 2];
  const seluPrimeAt = (x: number) => (x > 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(x));

  return [
    {
      op: "addN of 40 tensors of shape [3]",
      compute: () => tf.addN(addN40.map((v) => tf.tensor1d(v))),
      expected: [820, -1640, 205],
      rtol: 0,
    },
    {
      op: "global norm √(addN(sum(square(g)))) over 12 tensors",
      compute: () => tf.sqrt(tf.addN(normSizes.map((s) => tf.sum(tf.square(tf.fill([s], s)))))),
      expected: [78],
      rtol: 4 * 2 ** -24, // sqrt: WGSL allows 2.5 ulp
    },
    {
      op: `stack of ${stackRows} tensors of shape [${stackWidth}]`,
      compute: () => tf.stack(Array.from({ length: stackRows }, (_, r) => tf.tensor1d(vector(stackWidth, (j) => r * stackWidth + j)))),
      expected: vector(stackRows * stackWidth, (i) => i),
      rtol: 0,
    },
    {
      op: "concat of 20 tensors of shape [2, 50] along axis 1",
      compute: () => tf.concat(Array.from({ length: 20 }, (_, t) => tf.tensor2d(vector(100, (i) => t * 100 + i), [2, 50])), 1),
      expected: vector(2000, (i) => Math.floor((i % 1000) / 50) * 100 + Math.floor(i / 1000) * 50 + (i % 50)),
      rtol: 0,
    },
    {
      op: `matMul of [${m}, ${k}] and [${k}, ${n}] integers`,
      compute: () => tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])),
      expected: product,
      rtol: 0,
    },
    {
      op: "matMul of [2, 3] and [3, 2] transposed",
      compute: () => tf.matMul(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), tf.tensor2d([7, 9, 11, 8, 10, 12], [2, 3]), false, true),
      expected: [58, 64, 139, 154],
      rtol: 0,
    },
    {
      op: "sum of 100,000 elements",
      compute: () => tf.sum(tf.tensor1d(ramp)),
      expected: [ramp.reduce((s, v) => s + v, 0)],
      rtol: 0,
    },
    {
      op: "max and argMax of [50, 37] along axis 1",
      compute: () => {
        const x = tf.tensor2d(rows, [50, 37]);
        return tf.concat([tf.max(x, 1), tf.cast(tf.argMax(x, 1), "float32")]);
      },
      expected: [...rowMax, ...rowArgMax],
      rtol: 0,
    },
    {
      op: "isFinite, isNaN and sum(g·0) (the non-finite probe) of [1, Inf, −Inf, NaN, −3e38]",
      compute: () => {
        const g = tf.tensor1d([1, Infinity, -Infinity, NaN, -3e38]);
        const probe = (t: tf.Tensor) => tf.reshape(tf.sum(tf.mul(t, 0)), [1]);
        return tf.concat([
          tf.cast(tf.isFinite(g), "float32"),
          tf.cast(tf.isNaN(g), "float32"),
          probe(tf.tensor1d([1, Infinity])),
          probe(tf.tensor1d([1, -3e38])),
        ]);
      },
      expected: [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, NaN, 0],
      rtol: 0,
    },
    {
      op: `sigmoid, tanh, exp and log at [${points}]`,
      compute: () => {
        const x = tf.tensor1d(points);
        return tf.concat([tf.sigmoid(x), tf.tanh(x), tf.exp(x), tf.log(tf.add(tf.abs(x), 1))]);
      },
      expected: [...points.map(sigmoid), ...points.map(Math.tanh), ...points.map(Math.exp), ...points.map((x) => Math.log(Math.abs(x) + 1))],
      rtol: KERNEL_RTOL,
    },
    {
      op: `selu and its gradient at [${seluPoints}]`,
      compute: () => {
        const x = tf.tensor1d(seluPoints);
        return tf.concat([tf.selu(x), tf.grad((t: tf.Tensor) => tf.selu(t))(x)]);
      },
      expected: [...seluPoints.map((x) => (x > 0 ? SELU_LAMBDA * x : SELU_LAMBDA * SELU_ALPHA * Math.expm1(x))), ...seluPoints.map(seluPrimeAt)],
      rtol: KERNEL_RTOL,
    },
    {
      op: "selu's gradient at the subnormals [2^-149, 2^-130]",
      compute: () => tf.grad((t: tf.Tensor) => tf.selu(t))(tf.tensor1d([TINY, SMALL])),
      expected: [SELU_LAMBDA, SELU_LAMBDA],
      flushed: [SELU_LAMBDA * SELU_ALPHA, SELU_LAMBDA * SELU_ALPHA],
      rtol: KERNEL_RTOL,
    },
    {
      op: "clipByValue([−2^-149, 2^-149, 2^-130, 3], −2^-149, 2^-130)",
      compute: () => tf.clipByValue(tf.tensor1d([-TINY, TINY, SMALL, 3]), -TINY, SMALL),
      expected: [-TINY, TINY, SMALL, SMALL],
      flushed: [0, 0, 0, 0],
      rtol: 0,
    },
    {
      op: "relu and x·0.5 at the subnormals [2^-148, 2^-130]",
      compute: () => {
        const x = tf.tensor1d([2 * TINY, SMALL]);
        return tf.concat([tf.relu(x), tf.mul(x, 0.5)]);
      },
      expected: [2 * TINY, SMALL, TINY, SMALL / 2],
      flushed: [0, 0, 0, 0],
      rtol: 0,
    },
  ];
}

/** Whether `got` is `want` within rtol: NaN only matches NaN, and ±0 match each other. */
function matches(got: number, want: number, rtol: number): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (rtol === 0 || !Number.isFinite(want)) return got === Math.fround(want) || got === want;
  return Math.abs(got - want) <= rtol * Math.abs(want);
}

/**
 * Compares `got` with the known answer element by element; an element may also match the
 * answer for flushed subnormals. Returns the first wrong element (or null) and whether any
 * element matched only the flushed answer.
 */
function compare(c: KnownComputation, got: ArrayLike<number>): { failure: SelfCheckFailure | null; flushed: boolean } {
  const want = c.expected;
  if (got.length !== want.length) {
    return { failure: { op: `${c.op} (${got.length} elements, expected ${want.length})`, index: 0, expected: want.length, returned: got.length, wrong: 1, rtol: c.rtol }, flushed: false };
  }
  let first = -1, wrong = 0, flushed = false;
  for (let i = 0; i < want.length; i++) {
    if (matches(got[i]!, want[i]!, c.rtol)) continue;
    if (c.flushed && matches(got[i]!, c.flushed[i]!, c.rtol)) {
      flushed = true;
      continue;
    }
    if (first < 0) first = i;
    wrong++;
  }
  const failure = first < 0 ? null : { op: c.op, index: first, expected: want[first]!, returned: got[first]!, wrong, rtol: c.rtol };
  return { failure, flushed };
}

function describeFailure(f: SelfCheckFailure): string {
  if (f.threw !== undefined) return `  ${f.op}: threw ${f.threw}`;
  const where = f.wrong > 1 ? `element ${f.index} (and ${f.wrong - 1} more)` : `element ${f.index}`;
  const tolerance = f.rtol === 0 ? "exact" : `within ${f.rtol.toPrecision(2)} relative`;
  return `  ${f.op}: ${where}: expected ${String(f.expected)}, returned ${String(f.returned)} (${tolerance})`;
}

/**
 * Runs the known computations on the active tfjs backend. Resolves to a report when every
 * answer is right, rejects with a BackendRefusedError naming each wrong one otherwise. Leaves
 * no tensors behind. `useBackend` runs it once per backend and process.
 *
 * @example
 * await tf.setBackend("cpu");
 * (await selfCheck()).subnormals; // "kept"
 */
export async function selfCheck(): Promise<SelfCheckReport> {
  return await withEveryOpOnTheDevice(check);
}

/**
 * tfjs-backend-webgpu runs an op whose inputs are still small host arrays with its CPU
 * kernels (the flag WEBGPU_CPU_FORWARD); training's tensors live on the GPU, so the check
 * turns forwarding off while it runs: every computation is then a shader.
 */
async function withEveryOpOnTheDevice<T>(f: () => Promise<T>): Promise<T> {
  let forwarding: boolean;
  try {
    forwarding = tf.env().getBool("WEBGPU_CPU_FORWARD");
  } catch {
    return await f(); // the flag is not registered: tfjs-backend-webgpu is not loaded
  }
  tf.env().set("WEBGPU_CPU_FORWARD", false);
  try {
    return await f();
  } finally {
    tf.env().set("WEBGPU_CPU_FORWARD", forwarding);
  }
}

async function check(): Promise<SelfCheckReport> {
  const started = performance.now();
  const backend = tf.getBackend();
  const computations = knownComputations();
  const failures: SelfCheckFailure[] = [];
  let elements = 0, flushed = false;
  for (const c of computations) {
    let got: Float32Array | Int32Array | Uint8Array;
    try {
      const t = tf.tidy(c.compute);
      try {
        got = (await t.data()) as Float32Array;
      } finally {
        t.dispose();
      }
    } catch (error) {
      const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new BackendRefusedError(backend, [...failures, { op: c.op, threw: message, index: 0, expected: NaN, returned: NaN, wrong: 1, rtol: c.rtol }]);
    }
    elements += got.length;
    const result = compare(c, got);
    if (result.failure) failures.push(result.failure);
    flushed ||= result.flushed;
  }
  if (failures.length > 0) throw new BackendRefusedError(backend, failures);
  return { backend, computations: computations.length, elements, subnormals: flushed ? "flushed" : "kept", ms: performance.now() - started };
}
