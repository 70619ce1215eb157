/**
 * Progress for long runs. On a terminal: one line redrawn in place with a bar and an ETA.
 * Elsewhere (CI logs, pipes): a plain line at every tenth of the work, and at least once a
 * minute, so logs stay short and readable.
 */
import process from "node:process";
import type { Output } from "./command.ts";

export interface ProgressOptions {
  /** what is being done, e.g. "E1 sigmoid" */
  label: string;
  /** units of work in all (iterations, epochs…) */
  total: number;
  /** where to draw (default process.stderr, so stdout stays clean); its isTTY picks the style */
  stream?: Output;
  /** the clock in milliseconds (default performance.now); tests pass a fake one */
  now?: () => number;
}

export interface Progress {
  /** Reports `done` units finished, with optional text to show after the counts (e.g. "loss 0.31"). */
  update(done: number, extra?: string): void;
  /** Finishes: the final line with the elapsed time. Further calls do nothing. */
  done(extra?: string): void;
}

const BAR_WIDTH = 20;
/** Terminal redraws at most this often; more only costs time. */
const REDRAW_MS = 100;
/** Plain output writes a line at least this often while work goes on. */
const PLAIN_EVERY_MS = 60_000;

/**
 * A progress display for `total` units of work.
 *
 * @example
 * const progress = createProgress({ label: "E1 relu", total: 4700 });
 * for (let i = 1; i <= 4700; i++) { step(); progress.update(i, `loss ${loss.toFixed(3)}`); }
 * progress.done();
 */
export function createProgress(options: ProgressOptions): Progress {
  const { label, total } = options;
  if (!(Number.isFinite(total) && total > 0)) {
    throw new Error(`createProgress: total: expected a positive number, got ${total}`);
  }
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const tty = Boolean(stream.isTTY);
  const start = now();
  let lastDraw = -Infinity;
  let lastTenth = 0;
  let lastLineAt = start;
  let finished = false;

  const counts = (done: number) => {
    const pct = Math.floor((100 * done) / total);
    return `${done}/${total} (${pct}%)`;
  };
  const eta = (done: number, t: number) =>
    done > 0 && done < total ? ` ETA ${formatDuration(((t - start) / done) * (total - done))}` : "";
  const tail = (extra?: string) => (extra ? `  ${extra}` : "");
  const fit = (line: string) => {
    const columns = stream.columns ?? 80;
    return line.length < columns ? line : line.slice(0, Math.max(0, columns - 2)) + "…";
  };

  return {
    update(done, extra) {
      if (finished) return;
      const t = now();
      const clamped = Math.min(Math.max(done, 0), total);
      if (tty) {
        if (t - lastDraw < REDRAW_MS && clamped < total) return;
        lastDraw = t;
        const filled = Math.round((BAR_WIDTH * clamped) / total);
        const bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
        stream.write(`\r\x1b[K${fit(`${label} [${bar}] ${counts(clamped)}${eta(clamped, t)}${tail(extra)}`)}`);
        return;
      }
      const tenth = Math.floor((10 * clamped) / total);
      if (tenth > lastTenth || t - lastLineAt >= PLAIN_EVERY_MS) {
        lastTenth = Math.max(lastTenth, tenth);
        lastLineAt = t;
        stream.write(`${label}: ${counts(clamped)}${eta(clamped, t)}${tail(extra)}\n`);
      }
    },
    done(extra) {
      if (finished) return;
      finished = true;
      const line = `${label}: done in ${formatDuration(now() - start)}${tail(extra)}`;
      stream.write(tty ? `\r\x1b[K${fit(line)}\n` : `${line}\n`);
    },
  };
}

/**
 * A duration for people: "850ms", "42s", "3m05s", "1h02m".
 *
 * @example
 * formatDuration(185_000); // "3m05s"
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
