/**
 * A second thread for the fast engine's two big matrix products (the first layer's forward
 * X·W₁ and its gradient Xᵀ·C₁). tfjs-backend-wasm runs one thread under Bun and Deno
 * (tensorflow/tfjs#3830), so gradlab brings its own: a Web Worker with its own tfjs instance on
 * the same backend, computing the lower rows of a product while the engine computes the upper
 * ones. Each output element is still one dot product computed the same way (XNNPACK's result
 * for a row does not depend on the other rows: the split test checks it bit for bit), so a
 * two-thread run gives exactly the bits of a one-thread run.
 *
 * Operands live in SharedArrayBuffers the helper has been shown once (`share`); a job is a few
 * integers in a shared control block and a futex wake-up, ~25–50 µs round trip here.
 */
import { activeBackend, startWorker } from "../../backend/mod.ts";
import { C, CONTROL_INTS, type HelperMessage, type HelperReply, type MatMulJob, OP, readError, type SharedRef, spinWhile, writeJob } from "./matmul-helper-protocol.ts";

export type { MatMulJob, SharedRef } from "./matmul-helper-protocol.ts";
export { ACTIVATIONS, PLAIN } from "./matmul-helper-protocol.ts";

export interface MatMulHelper {
  /** Where a view on shared memory is, for jobs; shows its buffer to the helper the first time. */
  share(view: Float32Array): Promise<SharedRef>;
  /** Starts a job; the helper writes its output rows into the shared output. */
  start(job: MatMulJob): void;
  /** Blocks until the started job is done; throws the helper's error, if any. */
  wait(): void;
  dispose(): void;
}

/** How long the engine polls for the helper's answer before it sleeps. */
const SPIN_MS = 2;
/** Longest a job may take before the engine gives up on the helper. */
const JOB_TIMEOUT_MS = 120_000;

/**
 * Starts the helper on the active backend and waits until it is ready.
 *
 * @example
 * const helper = await startMatMulHelper();
 * try { const engine = fastDenseEngine(model, config, { helper }); … } finally { helper.dispose(); }
 */
export async function startMatMulHelper(): Promise<MatMulHelper> {
  const worker = startWorker<HelperMessage, HelperReply>(new URL("./matmul-helper-worker.ts", import.meta.url).href);
  const replies: HelperReply[] = [];
  let waiter: (() => void) | null = null;
  let failure: string | null = null;
  worker.onmessage = (e) => {
    replies.push(e.data);
    waiter?.();
  };
  worker.onerror = (e) => {
    failure = `matMul helper thread failed: ${e.message}`;
    waiter?.();
  };
  const reply = async (type: HelperReply["type"]): Promise<HelperReply> => {
    for (;;) {
      if (failure) throw new Error(failure);
      const i = replies.findIndex((r) => r.type === type || r.type === "failed");
      if (i >= 0) {
        const [r] = replies.splice(i, 1);
        if (r.type === "failed") throw new Error(`matMul helper thread: ${r.message}`);
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
  const ids = new Map<SharedArrayBuffer, number>();
  let registering: Promise<void> = Promise.resolve();

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
        throw new Error(`matMul helper thread: no answer in ${JOB_TIMEOUT_MS / 1000} s`);
      }
    }
    running = false;
    const error = readError(control);
    if (error) {
      Atomics.store(control, C.error, 0);
      throw new Error(`matMul helper thread: ${error}`);
    }
  };

  worker.postMessage({ type: "start", backend: activeBackend().name });
  try {
    await reply("ready");
  } catch (error) {
    worker.terminate();
    throw error;
  }

  return {
    async share(view) {
      const buffer = view.buffer;
      if (!(buffer instanceof SharedArrayBuffer)) throw new Error("matMul helper: only views on a SharedArrayBuffer can be shared");
      let id = ids.get(buffer);
      if (id === undefined) {
        id = ids.size;
        ids.set(buffer, id);
        const shown = id;
        // One registration at a time, in order; the helper takes messages only between serving.
        registering = registering.then(async () => {
          if (serving) {
            post(OP.stop);
            wait();
            await reply("stopped");
            serving = false;
          }
          worker.postMessage({ type: "register", id: shown, buffer, byteOffset: 0, length: buffer.byteLength >> 2 });
          await reply("registered");
        });
      }
      await registering;
      return { id, offset: view.byteOffset >> 2 };
    },
    start(job) {
      if (running) throw new Error("matMul helper: a job is already running");
      if (!serving) {
        worker.postMessage({ type: "serve", control: control.buffer as SharedArrayBuffer });
        serving = true;
      }
      writeJob(control, job);
      post(OP.matMul);
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
