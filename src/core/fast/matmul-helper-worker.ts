/**
 * The matMul helper thread (see matmul-helper.ts): its own tfjs instance on the backend it is
 * told, arrays in shared memory registered once by message, then jobs run on a shared control
 * block, waited for with Atomics, so a job costs no message round trip.
 */
import * as tf from "@tensorflow/tfjs-core";
import { readView, useBackend } from "../../backend/mod.ts";
import { C, CONTROL_INTS, fusedArgs, type HelperMessage, OP, PLAIN, readJob, type SharedRef, spinWhile, writeError } from "./matmul-helper-protocol.ts";

const scope = globalThis as unknown as { onmessage: (e: { data: HelperMessage }) => void; postMessage(m: unknown): void };
const arrays = new Map<number, Float32Array>();
/** How long the helper polls for the next job before it sleeps: jobs come < 1 ms apart in training. */
const SPIN_MS = 3;

/** Elements [offset, offset + length) of a shared array, checked. */
function slice(ref: SharedRef, length: number, what: string): Float32Array {
  const array = arrays.get(ref.id);
  if (!array) throw new Error(`${what}: array ${ref.id} was never shared`);
  if (ref.offset < 0 || ref.offset + length > array.length) {
    throw new Error(`${what}: elements ${ref.offset}..${ref.offset + length} lie outside array ${ref.id} (${array.length} elements)`);
  }
  return array.subarray(ref.offset, ref.offset + length);
}

function runJob(control: Int32Array): void {
  const job = readJob(control);
  const a = slice(job.a, job.rows * job.k, "operand a");
  const b = slice(job.b, job.k * job.n, "operand b");
  const bias = job.bias ? slice(job.bias, job.n, "bias") : null;
  if (job.activation === PLAIN && bias) throw new Error("a plain matMul job takes no bias");
  const out = slice(job.out, job.rows * job.n, "output");
  tf.tidy(() => {
    const A = tf.tensor2d(a, [job.rows, job.k]);
    const B = tf.tensor2d(b, [job.k, job.n]);
    // The same op the engine uses for its own rows: plain matMul, or fused with bias and activation.
    const product = job.activation === PLAIN
      ? tf.matMul(A, B)
      : tf.fused.matMul({ a: A, b: B, bias: bias ? tf.tensor1d(bias) : undefined, ...fusedArgs(job.activation, job.alpha) });
    out.set(readView(product));
  });
}

function serve(control: Int32Array): void {
  // The last job done: a job posted before this loop began is seen at once.
  let seen = Atomics.load(control, C.done);
  for (;;) {
    spinWhile(control, C.request, seen, SPIN_MS);
    if (Atomics.load(control, C.request) === seen) {
      Atomics.store(control, C.asleep, 1);
      Atomics.wait(control, C.request, seen);
      Atomics.store(control, C.asleep, 0);
    }
    seen = Atomics.load(control, C.request);
    if (control[C.op] === OP.stop) {
      Atomics.store(control, C.done, seen);
      Atomics.notify(control, C.done);
      return;
    }
    try {
      runJob(control);
      Atomics.store(control, C.error, 0);
    } catch (error) {
      writeError(control, String((error as Error)?.message ?? error));
    }
    Atomics.store(control, C.done, seen);
    Atomics.notify(control, C.done);
  }
}

scope.onmessage = async (e) => {
  const m = e.data;
  try {
    switch (m.type) {
      case "start":
        await useBackend(m.backend);
        scope.postMessage({ type: "ready" });
        return;
      case "register":
        arrays.set(m.id, new Float32Array(m.buffer, m.byteOffset, m.length));
        scope.postMessage({ type: "registered", id: m.id });
        return;
      case "serve": {
        const control = new Int32Array(m.control);
        if (control.length !== CONTROL_INTS) throw new Error("bad control block");
        serve(control);
        scope.postMessage({ type: "stopped" });
        return;
      }
    }
  } catch (error) {
    scope.postMessage({ type: "failed", message: String((error as Error)?.message ?? error) });
  }
};
