/**
 * A helper for test suites that switch backends (the property harness does). Not exported
 * from mod.ts.
 */
import { activeBackend, useBackend } from "./use.ts";

interface Suite {
  before(hook: () => void): void;
  after(hook: () => Promise<void>): void;
}

/**
 * Whatever backend is active when the suite starts (if any) is active again when it ends.
 *
 * @example
 * restoreBackendAfter(test); // uvu's test
 */
export function restoreBackendAfter(suite: Suite): void {
  let previous: string | null = null;
  suite.before(() => {
    try {
      previous = activeBackend().name;
    } catch {
      previous = null;
    }
  });
  suite.after(async () => {
    if (previous) await useBackend(previous);
  });
}
