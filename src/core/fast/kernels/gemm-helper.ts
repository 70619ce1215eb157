/**
 * A second thread for the gemm kernel. tfjs-backend-wasm runs one thread under Bun and Deno
 * (tensorflow/tfjs#3830), so gradlab brings its own: a Web Worker running the same kernel on
 * the same shared kernel memory, computing the lower rows of a product while the engine
 * computes the upper ones. Each output row is computed the same way whatever the split
 * (gemm.test.ts), so a two-thread run gives exactly the bits of a one-thread run.
 *
 * A job is the kernel's arguments in a shared control block and a futex wake-up, tens of µs
 * round trip (docs/performance.md).
 */
import { startWorker } from "../../../backend/mod.ts";
import type { GemmArgs } from "./gemm.ts";
import { C, CONTROL_INTS, type HelperMessage, type HelperReply, OP, readError, spinWhile, writeJob } from "./gemm-helper-protocol.ts";

export interface GemmHelper {
  /** Runs the coming jobs on this kernel memory (an engine's); resolves once the helper has it. */
  attach(memory: WebAssembly.Memory): Promise<void>;
  /** Starts a job on the attached memory. */
  start(args: GemmArgs): void;
  /** Blocks until the started job is done; throws the helper's error, if any. */
  wait(): void;
  dispose(): void;
}

/** How long the engine polls for the helper's answer before it sleeps. */
const SPIN_MS = 2;
/** Longest a job may take before the engine gives up on the helper. */
const JOB_TIMEOUT_MS = 120_000;

/**
 * Starts the helper thread and waits until it runs.
 *
 * @example
 * const helper = await startGemmHelper();
 * try { const engine = fastDenseEngine(model, config, { helper }); … } finally { helper.dispose(); }
 */
export async function startGemmHelper(): Promise<GemmHelper> {
  const worker = startWorker<HelperMessage, HelperReply>(new URL("./gemm-helper-worker.ts", import.meta.url).href);
  const replies: HelperReply[] = [];
  let waiter: (() => void) | null = null;
  let failure: string | null = null;
  worker.onmessage = (e) => {
    replies.push(e.data);
    waiter?.();
  };
  worker.onerror = (e) => {
    failure = `gemm helper thread failed: ${e.message}`;
    waiter?.();
  };
  const reply = async (type: HelperReply["type"]): Promise<HelperReply> => {
    for (;;) {
      if (failure) throw new Error(failure);
      const i = replies.findIndex((r) => r.type === type || r.type === "failed");
      if (i >= 0) {
        const [r] = replies.splice(i, 1);
        if (r.type === "failed") throw new Error(`gemm helper thread: ${r.message}`);
        return r;
      }
      await new Promise<void>((resolve) => (waiter = resolve));
      waiter = null;
    }
  };

  const control = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));
  let sequence = 0;
  let serving = false;
  let running = false;
  let attached: WebAssembly.Memory | null = null;

  const post = (op: number) => {
    control[C.op] = op;
    sequence++;
    Atomics.store(control, C.request, sequence);
    if (Atomics.load(control, C.asleep) === 1) Atomics.notify(control, C.request);
    running = true;
  };
  const wait = () => {
    if (!running) return;
    const started = performance.now();
    spinWhile(control, C.done, sequence - 1, SPIN_MS);
    while (Atomics.load(control, C.done) !== sequence) {
      Atomics.wait(control, C.done, Atomics.load(control, C.done), 10);
      if (Atomics.load(control, C.done) === sequence) break;
      if (performance.now() - started > JOB_TIMEOUT_MS) {
        throw new Error(`gemm helper thread: no answer in ${JOB_TIMEOUT_MS / 1000} s`);
      }
    }
    running = false;
    const error = readError(control);
    if (error) {
      Atomics.store(control, C.error, 0);
      throw new Error(`gemm helper thread: ${error}`);
    }
  };
  /** Out of its serving loop, where it takes messages again. */
  const stopServing = async () => {
    if (!serving) return;
    if (running) wait();
    post(OP.stop);
    wait();
    serving = false;
    await reply("stopped");
  };

  worker.postMessage({ type: "hello" });
  try {
    await reply("ready");
  } catch (error) {
    worker.terminate();
    throw error;
  }

  return {
    async attach(memory) {
      if (attached === memory) return;
      await stopServing();
      worker.postMessage({ type: "attach", memory });
      await reply("attached");
      attached = memory;
    },
    start(args) {
      if (running) throw new Error("gemm helper: a job is already running");
      if (!attached) throw new Error("gemm helper: no kernel memory attached");
      if (!serving) {
        worker.postMessage({ type: "serve", control: control.buffer as SharedArrayBuffer });
        serving = true;
      }
      writeJob(control, args);
      post(OP.gemm);
    },
    wait,
    dispose() {
      // Out of its wait loop first: a thread blocked in Atomics.wait may not heed terminate().
      try {
        if (serving) {
          if (running) wait();
          post(OP.stop);
          wait();
        }
      } finally {
        worker.terminate();
      }
    },
  };
}
