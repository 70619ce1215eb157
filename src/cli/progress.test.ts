import { test } from "uvu";
import * as assert from "uvu/assert";
import { createProgress, formatDuration } from "./progress.ts";

/** A stream that records writes, and a clock the test moves by hand. */
function fixture(isTTY: boolean) {
  const stream = { isTTY, columns: 200, text: "", write: (s: string) => void (stream.text += s) };
  let t = 0;
  return { stream, now: () => t, advance: (ms: number) => void (t += ms) };
}

test("off a terminal: one line per tenth of the work, with an ETA, then a done line", () => {
  const { stream, now, advance } = fixture(false);
  const progress = createProgress({ label: "E1", total: 100, stream, now });
  for (let i = 1; i <= 100; i++) {
    advance(1000);
    progress.update(i, i === 50 ? "loss 0.5" : undefined);
  }
  progress.done("acc 0.9");
  const lines = stream.text.trimEnd().split("\n");
  assert.is(lines.length, 11);
  assert.is(lines[0], "E1: 10/100 (10%) ETA 1m30s");
  assert.is(lines[4], "E1: 50/100 (50%) ETA 50s  loss 0.5");
  assert.is(lines[9], "E1: 100/100 (100%)");
  assert.is(lines[10], "E1: done in 1m40s  acc 0.9");
});

test("off a terminal: a slow run still prints at least once a minute", () => {
  const { stream, now, advance } = fixture(false);
  const progress = createProgress({ label: "slow", total: 1000, stream, now });
  advance(61_000);
  progress.update(1);
  assert.is(stream.text, "slow: 1/1000 (0%) ETA 16h56m\n");
});

test("on a terminal: one line redrawn in place, a bar, throttled, newline when done", () => {
  const { stream, now, advance } = fixture(true);
  const progress = createProgress({ label: "E2", total: 4, stream, now });
  advance(200);
  progress.update(1);
  progress.update(2); // within the redraw interval: skipped
  advance(200);
  progress.update(2);
  progress.done();
  progress.done(); // once only
  const frames = stream.text.split("\r\x1b[K").filter(Boolean);
  assert.equal(frames, [
    "E2 [#####---------------] 1/4 (25%) ETA 600ms",
    "E2 [##########----------] 2/4 (50%) ETA 400ms",
    "E2: done in 400ms\n",
  ]);
});

test("a total that is not a positive number is an error naming it", () => {
  assert.throws(() => createProgress({ label: "x", total: 0 }), /total: expected a positive number, got 0/);
});

test("durations for people", () => {
  assert.is(formatDuration(850), "850ms");
  assert.is(formatDuration(42_000), "42s");
  assert.is(formatDuration(185_000), "3m05s");
  assert.is(formatDuration(3_720_000), "1h02m");
  assert.is(formatDuration(Number.NaN), "?");
});

test.run();
