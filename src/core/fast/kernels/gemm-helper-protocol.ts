/**
 * The shared control block between the fast engine and its gemm helper thread: one job at a
 * time (the kernel's arguments, as Int32 slots), a request sequence number the helper waits on
 * and a done number the engine waits on, and room for an error message (a thread blocked in
 * Atomics.wait cannot take messages).
 */
import type { GemmArgs } from "./gemm.ts";

/** Slots of the control block. */
export const C = {
  request: 0,
  done: 1,
  op: 2,
  a: 3,
  lda: 4,
  transA: 5,
  b: 6,
  ldb: 7,
  c: 8,
  ldc: 9,
  bias: 10,
  rows: 11,
  k: 12,
  n: 13,
  error: 14,
  errorLength: 15,
  /** 1 while the helper sleeps in Atomics.wait (only then does a new job need a notify) */
  asleep: 16,
  /** the error message's UTF-8 bytes from here on */
  errorText: 17,
} as const;
const ERROR_BYTES = 1024;
export const CONTROL_INTS = C.errorText + ERROR_BYTES / 4;

export const OP = { gemm: 1, stop: 2 } as const;

export type HelperMessage =
  | { type: "hello" }
  | { type: "attach"; memory: WebAssembly.Memory }
  | { type: "serve"; control: SharedArrayBuffer };

export type HelperReply =
  | { type: "ready" }
  | { type: "attached" }
  | { type: "stopped" }
  | { type: "failed"; message: string };

const INT_SLOTS = ["a", "lda", "b", "ldb", "c", "ldc", "bias", "rows", "k", "n"] as const;

export function writeJob(control: Int32Array, args: GemmArgs): void {
  control[C.op] = OP.gemm;
  for (const slot of INT_SLOTS) control[C[slot]] = args[slot];
  control[C.transA] = args.transA ? 1 : 0;
}

export function readJob(control: Int32Array): GemmArgs {
  const args = { transA: control[C.transA] === 1 } as GemmArgs;
  for (const slot of INT_SLOTS) args[slot] = control[C[slot]];
  return args;
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
