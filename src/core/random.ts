/**
 * Seeded pseudo-random numbers. Every random choice in gradlab (initial weights, shuffles,
 * synthetic data, property-test generators' seeds) flows from one 32-bit seed through an
 * `Rng`, so a run is reproduced by passing its printed seed back in.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's "small fast chaotic" generator, as described
 * in the PractRand documentation); the 128-bit state is filled from the seed with splitmix32.
 */

/** splitmix32 step: mixes a 32-bit state into a well-spread 32-bit output. */
function splitmix32(state: number): [next: number, out: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [next, z >>> 0];
}

/** FNV-1a hash of a label, used to derive independent child streams by name. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Checks that `seed` is a usable seed (an integer in [0, 2^32)) and returns it. */
export function checkSeed(seed: unknown, where = "seed"): number {
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`${where}: expected an integer in [0, 4294967295], got ${JSON.stringify(seed)}`);
  }
  return seed;
}

/** A fresh seed from the clock and Math.random, for runs that were given none (it is printed). */
export function freshSeed(): number {
  return (Math.floor(Math.random() * 0x100000000) ^ Date.now()) >>> 0;
}

/**
 * A seeded random stream.
 *
 * @example
 * const rng = new Rng(42);
 * const w = rng.normal();            // one N(0,1) draw
 * const init = rng.fork("init");     // an independent stream named "init"
 */
export class Rng {
  readonly seed: number;
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  #spareNormal: number | null = null;

  constructor(seed: number) {
    this.seed = checkSeed(seed);
    let s = this.seed;
    let out: number;
    [s, out] = splitmix32(s); this.#a = out;
    [s, out] = splitmix32(s); this.#b = out;
    [s, out] = splitmix32(s); this.#c = out;
    [s, out] = splitmix32(s); this.#d = out;
    for (let i = 0; i < 12; i++) this.uint32(); // let the state decorrelate from the seed
  }

  /** Next uniformly distributed 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in [lo, hi). */
  uniformIn(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal draw (Marsaglia's polar method; the spare value is kept). */
  normal(): number {
    if (this.#spareNormal !== null) {
      const v = this.#spareNormal;
      this.#spareNormal = null;
      return v;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spareNormal = v * f;
    return u * f;
  }

  /** Normal draw with the given mean and standard deviation, re-drawn while beyond 2σ (TF's truncated_normal). */
  truncatedNormal(mean: number, stddev: number): number {
    for (;;) {
      const z = this.normal();
      if (Math.abs(z) <= 2) return mean + stddev * z;
    }
  }

  /** A permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]; p[i] = p[j]; p[j] = t;
    }
    return p;
  }

  /** An independent stream derived from this stream's seed and a label (not from its position). */
  fork(label: string): Rng {
    let s = (this.seed ^ hashLabel(label)) >>> 0;
    let out: number;
    [s, out] = splitmix32(s);
    [, out] = splitmix32((out ^ hashLabel(label + "#")) >>> 0);
    return new Rng(out);
  }
}
