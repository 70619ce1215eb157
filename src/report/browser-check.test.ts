/**
 * The report in a real browser: headless Chromium (Debian's `chromium`, which .ci/run
 * installs) opens a report drawn from the synthetic E1 result, a property report and the
 * committed fixtures. Written to report/browser-test/ (git-ignored), screenshot included,
 * so a real `npm start` report in report/ is left alone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EXPERIMENTS, type ExperimentName } from "../experiments/mod.ts";
import { checkInBrowser, findChromium, VIEWPORT } from "./browser-check.ts";
import { buildReport } from "./build.ts";
import { fixtureSource } from "./gather.ts";
import { syntheticE1Result, syntheticPropertyReport } from "./testing.ts";
import { writeReport } from "./write.ts";

const OUT = fileURLToPath(new URL("../../report/browser-test", import.meta.url));
const chromium = findChromium(process.env);

if (!chromium) {
  console.log("skip: the browser check: no Chromium here (apt-get install chromium chromium-driver, or set GRADLAB_CHROMIUM)");
  test.skip("the report in headless Chromium");
} else {
  test("the report in headless Chromium: no errors, no requests, every figure drew marks, fits 1280 px; screenshot saved", async () => {
    const experiments = Object.fromEntries(
      EXPERIMENTS.filter((e) => e.id !== "E1").map((e) => [e.name, fixtureSource(e.name as ExperimentName, ["quick"])]),
    );
    experiments["fashion-sigmoid-vs-relu"] = { status: "ok", value: syntheticE1Result(), origin: "run", file: null, profile: "quick" };
    const built = await buildReport({
      properties: { status: "ok", value: syntheticPropertyReport(), origin: "file", file: "synthetic", profile: "ci" },
      experiments,
      fashionMnist: { full: false, location: null, note: "synthetic E1 for the browser test" },
      command: "src/report/browser-check.test.ts",
      backend: null,
    });
    const index = await writeReport(OUT, built);
    const screenshot = join(OUT, "screenshot.png");
    rmSync(screenshot, { force: true });
    const check = await checkInBrowser(index, { screenshot, executablePath: chromium });
    assert.equal(check.problems, []);
    assert.ok(check.ok);
    assert.equal(check.figures.map((f) => f.id), built.figures.map((f) => f.id), "every figure is on the page");
    for (const f of check.figures) assert.ok(f.marks > 0, `${f.id} drew ${f.marks} marks`);
    assert.ok(check.scrollWidth <= VIEWPORT.width, `${check.scrollWidth} px`);
    assert.equal([...readFileSync(screenshot).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG");
    console.log(`  browser check: Chromium ${check.browserVersion}, ${check.figures.length} figures, screenshot ${screenshot}`);
  });

  test("the check finds problems: a request to elsewhere, a figure without marks, a page too wide, a script error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradlab-browser-"));
    try {
      const page = join(dir, "index.html");
      writeFileSync(page, `<!doctype html><body>
<figure id="fig-empty"><svg width="10" height="10"><g class="mark-line role-mark"></g></svg></figure>
<img src="http://127.0.0.1:9/x.png"><div style="width: 2000px">wide</div>
<script>throw new Error("boom")</script></body>`);
      const check = await checkInBrowser(page, { executablePath: chromium });
      assert.not.ok(check.ok);
      const all = check.problems.join("\n");
      assert.match(all, /the page requested http:\/\/127\.0\.0\.1:9\/x\.png/);
      assert.match(all, /figure empty drew no marks/);
      assert.match(all, /the page is 20\d\d px wide/);
      assert.match(all, /page error: .*boom/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();
