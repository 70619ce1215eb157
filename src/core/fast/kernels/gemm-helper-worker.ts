/**
 * The gemm helper thread (see gemm-helper.ts): the gemm kernel instantiated on the engine's
 * shared kernel memory, running jobs from a shared control block, waited for with Atomics, so
 * a job costs no message round trip.
 */
import { gemmOn, type GemmArgs } from "./gemm.ts";
import { C, CONTROL_INTS, type HelperMessage, OP, readJob, spinWhile, writeError } from "./gemm-helper-protocol.ts";

const scope = globalThis as unknown as { onmessage: (e: { data: HelperMessage }) => void; postMessage(m: unknown): void };
/** How long the helper polls for the next job before it sleeps: jobs come < 1 ms apart in training. */
const SPIN_MS = 3;
let gemm: ((args: GemmArgs) => void) | null = null;

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
      if (!gemm) throw new Error("no kernel memory attached");
      gemm(readJob(control));
      Atomics.store(control, C.error, 0);
    } catch (error) {
      writeError(control, String((error as Error)?.message ?? error));
    }
    Atomics.store(control, C.done, seen);
    Atomics.notify(control, C.done);
  }
}

scope.onmessage = (e) => {
  const m = e.data;
  try {
    switch (m.type) {
      case "hello":
        scope.postMessage({ type: "ready" });
        return;
      case "attach":
        gemm = gemmOn(m.memory);
        scope.postMessage({ type: "attached" });
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
