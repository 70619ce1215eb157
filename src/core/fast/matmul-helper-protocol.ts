/**
 * The shared control block between the fast engine and its matMul helper thread: one job at a
 * time, described in Int32 slots (the leaky-ReLU slope as float32 bits), a request sequence
 * number the helper waits on and a done number the engine waits on, and room for an error
 * message (a thread blocked in Atomics.wait cannot take messages).
 */
import type * as tf from "@tensorflow/tfjs-core";

/** Slots of the control block. */
export const C = {
  request: 0,
  done: 1,
  op: 2,
  aId: 3,
  aOffset: 4,
  rows: 5,
  k: 6,
  bId: 7,
  bOffset: 8,
  n: 9,
  biasId: 10,
  biasOffset: 11,
  activation: 12,
  alpha: 13,
  outId: 14,
  outOffset: 15,
  error: 16,
  errorLength: 17,
  /** 1 while the helper sleeps in Atomics.wait (only then does a new job need a notify) */
  asleep: 18,
  /** the error message's UTF-8 bytes from here on */
  errorText: 19,
} as const;
const ERROR_BYTES = 1024;
export const CONTROL_INTS = C.errorText + ERROR_BYTES / 4;

export const OP = { matMul: 1, stop: 2 } as const;

/** Fused activations by code; the helper computes exactly what tf.fused.matMul does with them. */
export const ACTIVATIONS = ["linear", "relu", "sigmoid", "leakyrelu", "elu"] as const;
/** The activation code of a plain tf.matMul (no bias, no activation). */
export const PLAIN = -1;

/** A place in a registered shared array: its id and an element offset. */
export interface SharedRef {
  id: number;
  offset: number;
}

/** out[rows, n] = activation(a[rows, k] · b[k, n] + bias), all row-major. */
export interface MatMulJob {
  a: SharedRef;
  rows: number;
  k: number;
  b: SharedRef;
  n: number;
  bias: SharedRef | null;
  /** an index into ACTIVATIONS (tf.fused.matMul), or PLAIN (tf.matMul) */
  activation: number;
  alpha: number;
  out: SharedRef;
}

export type HelperMessage =
  | { type: "start"; backend: string }
  | { type: "register"; id: number; buffer: SharedArrayBuffer; byteOffset: number; length: number }
  | { type: "serve"; control: SharedArrayBuffer };

export type HelperReply =
  | { type: "ready" }
  | { type: "registered"; id: number }
  | { type: "stopped" }
  | { type: "failed"; message: string };

export function writeJob(control: Int32Array, job: MatMulJob): void {
  control[C.op] = OP.matMul;
  control[C.aId] = job.a.id;
  control[C.aOffset] = job.a.offset;
  control[C.rows] = job.rows;
  control[C.k] = job.k;
  control[C.bId] = job.b.id;
  control[C.bOffset] = job.b.offset;
  control[C.n] = job.n;
  control[C.biasId] = job.bias ? job.bias.id : -1;
  control[C.biasOffset] = job.bias ? job.bias.offset : 0;
  control[C.activation] = job.activation;
  new Float32Array(control.buffer, C.alpha * 4, 1)[0] = job.alpha;
  control[C.outId] = job.out.id;
  control[C.outOffset] = job.out.offset;
}

export function readJob(control: Int32Array): MatMulJob {
  const biasId = control[C.biasId];
  return {
    a: { id: control[C.aId], offset: control[C.aOffset] },
    rows: control[C.rows],
    k: control[C.k],
    b: { id: control[C.bId], offset: control[C.bOffset] },
    n: control[C.n],
    bias: biasId >= 0 ? { id: biasId, offset: control[C.biasOffset] } : null,
    activation: control[C.activation],
    alpha: new Float32Array(control.buffer, C.alpha * 4, 1)[0],
    out: { id: control[C.outId], offset: control[C.outOffset] },
  };
}

export function writeError(control: Int32Array, message: string): void {
  const bytes = new TextEncoder().encode(message).slice(0, ERROR_BYTES);
  new Uint8Array(control.buffer, C.errorText * 4, ERROR_BYTES).set(bytes);
  control[C.errorLength] = bytes.length;
  Atomics.store(control, C.error, 1);
}

export function readError(control: Int32Array): string | null {
  if (Atomics.load(control, C.error) === 0) return null;
  return new TextDecoder().decode(new Uint8Array(control.buffer, C.errorText * 4, control[C.errorLength]).slice());
}

/** The fused.matMul arguments for an activation code. */
export function fusedArgs(activation: number, alpha: number): { activation: tf.fused.Activation; leakyreluAlpha?: number } {
  return { activation: ACTIVATIONS[activation], leakyreluAlpha: alpha };
}

/**
 * Polls a slot while it holds `value`, for at most `ms`: a futex wake-up of a sleeping vCPU
 * costs more than the short gaps between jobs.
 */
export function spinWhile(control: Int32Array, slot: number, value: number, ms: number): void {
  const until = performance.now() + ms;
  while (Atomics.load(control, slot) === value) {
    for (let i = 0; i < 64 && Atomics.load(control, slot) === value; i++) pause();
    if (performance.now() > until) return;
  }
}

/** Atomics.pause where the runtime has it (a spin-loop hint to the CPU), else nothing. */
const pause: () => void = (Atomics as unknown as { pause?: () => void }).pause?.bind(Atomics) ?? (() => {});
