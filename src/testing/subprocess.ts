/**
 * For tests that need a process of their own (a kill, a file-size limit, a hang to catch):
 * the runtime running the tests (Bun or Deno) on a script, with a time limit.
 */
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** The repository: scripts run from here, where Deno finds deno.json and node_modules. */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** How a child process ended, and what it printed. */
export interface Ended {
  /** the exit code, or null when a signal ended it */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** killed by the time limit */
  timedOut: boolean;
  ms: number;
}

/** The command line that runs `script` with `args` under the runtime running now. */
export function thisRuntime(script: string, args: readonly string[] = []): string[] {
  const deno = (globalThis as { Deno?: unknown }).Deno !== undefined;
  return deno ? [process.execPath, "run", "-A", `--config=${REPO_ROOT}deno.json`, script, ...args] : [process.execPath, script, ...args];
}

export interface RunOptions {
  /** default: the repository */
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** kill (SIGKILL) after this long; default 60 s */
  timeoutMs?: number;
  /** called with each chunk of stderr and the child's pid (to send signals at the right moment) */
  onStderr?: (text: string, pid: number) => void;
}

/**
 * Runs a command to its end (or the time limit).
 *
 * @example
 * const r = await run(thisRuntime("src/cli.ts", ["backends"]));
 */
export function run(argv: readonly string[], options: RunOptions = {}): Promise<Ended> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd ?? REPO_ROOT, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "", timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 60_000);
    child.stdout!.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr!.on("data", (b: Buffer) => {
      stderr += b.toString();
      options.onStderr?.(b.toString(), child.pid!);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, ms: performance.now() - t0 });
    });
  });
}

export { isAlive } from "../output/replace-directory.ts";
