import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { validateReport } from "../../report/mod.ts";
import { syntheticE1Fixture, syntheticPropertyReport } from "../../report/testing.ts";
import { REPO_ROOT, run, thisRuntime } from "../../testing/subprocess.ts";
import type { Output } from "../command.ts";
import { runCli } from "../main.ts";
import { reportCommand } from "./report.ts";

function buffer(): Output & { text: string } {
  const out = { text: "", write: (s: string) => void (out.text += s) };
  return out;
}

/** A fixtures directory and a property report in a temporary directory; `files` are written into it. */
function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-report-cli-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function report(dir: string, extra: string[] = []) {
  const stdout = buffer(), stderr = buffer();
  const code = await runCli(
    ["report", "--from-fixtures", "--fixtures-dir", join(dir, "fixtures"), "--out", join(dir, "out"), "--no-browser", ...extra],
    { stdout, stderr, commands: [reportCommand] },
  );
  const json = validateReport(JSON.parse(readFileSync(join(dir, "out", "report.json"), "utf8")));
  const html = readFileSync(join(dir, "out", "index.html"), "utf8");
  return { code, stdout: stdout.text, stderr: stderr.text, json, html };
}

const status = (json: ReturnType<typeof validateReport>) => Object.fromEntries(json.sections.map((s) => [s.id, s.status]));
const e1 = JSON.stringify(syntheticE1Fixture());
const props = JSON.stringify(syntheticPropertyReport());

test("report --from-fixtures: the table on stdout; exit 0 when every section with data rendered", async () => {
  const dir = workspace({ "fixtures/fashion-sigmoid-vs-relu/quick.json": e1, "props.json": props });
  try {
    const r = await report(dir, ["--properties", join(dir, "props.json")]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^report: .*out/index\\.html`));
    assert.match(r.stdout, /properties +passed +failed +skipped\n +cpu +2 +0 +0\n +wasm +1 +1 +0/);
    assert.match(r.stdout, /E1 \(quick, 2,048 train \/ 1,000 test\) +train +test\n +sigmoid +26\.0% +28\.0%\n +relu +79\.0% +81\.0%/);
    assert.match(r.stdout, /claims: 5 of 5 held/);
    assert.match(r.stdout, /browser check: skipped \(--no-browser\)/);
    assert.equal(status(r.json), { properties: "ok", E1: "ok", E2: "absent", E3: "absent", E4: "absent", E5: "absent", E6: "absent", derivatives: "ok" });
    assert.match(r.html, /make one with `gradlab fixtures regen --only E3`/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad input: a corrupt fixture and a schema-invalid property report are named with their field; the rest still renders", async () => {
  const badProps = syntheticPropertyReport() as unknown as { results: { status: string }[] };
  badProps.results[2]!.status = "maybe";
  const dir = workspace({
    "fixtures/fashion-sigmoid-vs-relu/quick.json": e1,
    "fixtures/mnist-global-norm-clipping/quick.json": '{"format": "gradlab-fixture/1", "experi',
    "props.json": JSON.stringify(badProps),
  });
  try {
    const r = await report(dir, ["--properties", join(dir, "props.json")]);
    assert.is(r.code, 1, "a failed section makes the command fail");
    const propsFile = join(dir, "props.json"), e3File = join(dir, "fixtures", "mnist-global-norm-clipping", "quick.json");
    assert.ok(r.stderr.includes(`section properties failed: ${propsFile}, field /results/2/status:`), r.stderr);
    assert.ok(r.stderr.includes(`section E3 failed: ${e3File}: not JSON`), r.stderr);
    assert.equal(status(r.json), { properties: "failed", E1: "ok", E2: "absent", E3: "failed", E4: "absent", E5: "absent", E6: "absent", derivatives: "ok" });
    assert.is(r.json.sections[0]!.problem!.field, "/results/2/status");
    assert.is(r.json.sections.find((s) => s.id === "E3")!.problem!.file, e3File);
    for (const id of ["e1-accuracy", "e1-gradients", "e1-layer-summary", "activation-derivatives"]) assert.ok(r.html.includes(`id="fig-${id}"`), id);
    assert.is((r.html.match(/This section failed\./g) ?? []).length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad input: a fixture that breaks its schema fails its section with the field, not the report", async () => {
  const bad = syntheticE1Fixture() as unknown as { profile: string; series: { runs: { result: { epochs: Record<string, unknown>[] } }[] } };
  bad.profile = "full";
  bad.series.runs[0]!.result.epochs[1]!.trainAccuracy = "high";
  const dir = workspace({
    "fixtures/fashion-sigmoid-vs-relu/full.json": JSON.stringify(bad),
    "fixtures/fashion-sigmoid-vs-relu/quick.json": e1,
    "props.json": props,
  });
  try {
    const r = await report(dir, ["--properties", join(dir, "props.json")]);
    assert.is(r.code, 1);
    const file = join(dir, "fixtures", "fashion-sigmoid-vs-relu", "full.json");
    assert.ok(r.stderr.includes(`section E1 failed: ${file}, field /series/runs/0/result/epochs/1/trainAccuracy: `), r.stderr);
    assert.equal(status(r.json), { properties: "ok", E1: "failed", E2: "absent", E3: "absent", E4: "absent", E5: "absent", E6: "absent", derivatives: "ok" });
    assert.match(r.html, /id="fig-activation-derivatives"/);
    assert.match(r.html, /cpu<\/strong>/, "the properties still show");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** `gradlab report` with only the flags given (no --out or --from-fixtures added), in this process. */
async function reportCli(argv: string[]) {
  const stdout = buffer(), stderr = buffer();
  const t0 = performance.now();
  const code = await runCli(["report", ...argv], { stdout, stderr, commands: [reportCommand] });
  return { code, stdout: stdout.text, stderr: stderr.text, ms: performance.now() - t0 };
}

/** Every file under `dir` with its content. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      if (name.isDirectory()) walk(join(d, name.name), `${prefix}${name.name}/`);
      else out[`${prefix}${name.name}`] = readFileSync(join(d, name.name), "latin1");
    }
  };
  walk(dir, "");
  return out;
}

// Before: the stored verdicts were shown as they were, with exit 0.
test("a hand-flipped claim verdict in a fixture fails its section, naming the file and the field; exit 1", async () => {
  const flipped = syntheticE1Fixture();
  flipped.claims[1]!.held = !flipped.claims[1]!.held;
  const dir = workspace({ "fixtures/fashion-sigmoid-vs-relu/quick.json": JSON.stringify(flipped), "props.json": props });
  try {
    const r = await report(dir, ["--properties", join(dir, "props.json")]);
    assert.is(r.code, 1);
    const file = join(dir, "fixtures", "fashion-sigmoid-vs-relu", "quick.json");
    assert.ok(r.stderr.includes(`section E1 failed: ${file}, field /claims/1/held: claims that do not follow from the fixture's own series`), r.stderr);
    assert.match(r.stderr, /\/claims\/1\/held says false, but the series gives true \(relu-beats-sigmoid-epoch1/);
    assert.is(status(r.json).E1, "failed");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Before: the suites and E1 ran first, then mkdir failed; a typo'd --data-dir fell back to the quick profile.
test("bad --out, --data-dir, --properties or --fixtures-dir: refused before any work, naming the flag", async () => {
  const dir = workspace({ "a-regular-file": "x" });
  try {
    const under = join(dir, "a-regular-file", "report");
    let r = await reportCli(["--out", under, "--no-browser"]);
    assert.equal([r.code, r.stderr], [1, `gradlab: --out ${under}: ${join(dir, "a-regular-file")} is a file, not a directory\n`]);
    r = await reportCli(["--out", "-"]);
    assert.equal([r.code, r.stderr], [1, "gradlab: --out: expected a directory; - (standard output) cannot hold one\n"]);
    r = await reportCli(["--out", join(dir, "out"), "--data-dir", join(dir, "typo"), "--no-browser"]);
    assert.is(r.code, 1);
    assert.match(r.stderr, `gradlab: --data-dir ${join(dir, "typo")}: no Fashion-MNIST there`);
    r = await reportCli(["--out", join(dir, "out"), "--properties", join(dir, "nope.json"), "--no-browser"]);
    assert.equal([r.code, r.stderr], [1, `gradlab: --properties ${join(dir, "nope.json")}: no such file or directory\n`]);
    r = await reportCli(["--out", join(dir, "out"), "--fixtures-dir", join(dir, "a-regular-file"), "--no-browser"]);
    assert.equal([r.code, r.stderr], [1, `gradlab: --fixtures-dir ${join(dir, "a-regular-file")}: not a directory\n`]);
    r = await reportCli(["--out", join(dir, "out"), "--data-dir", ""]);
    assert.is(r.code, 2);
    assert.match(r.stderr, "gradlab: --data-dir: expected a directory, got an empty string");
    assert.ok(r.ms < 5000, `${r.ms} ms`);
    assert.not.ok(existsSync(join(dir, "out")), "nothing written");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Before: *.svg files in DIR/figures that the report did not write were deleted, others overwritten.
test("--out: a directory of other files is refused untouched; an earlier report keeps what the report did not make", async () => {
  const dir = workspace({ "fixtures/fashion-sigmoid-vs-relu/quick.json": e1, "props.json": props, "mine/figures/plot.svg": "<svg>mine</svg>", "mine/notes.txt": "notes" });
  try {
    const before = snapshot(join(dir, "mine"));
    const r = await reportCli(["--from-fixtures", "--fixtures-dir", join(dir, "fixtures"), "--out", join(dir, "mine"), "--no-browser"]);
    assert.is(r.code, 1);
    assert.match(r.stderr, `gradlab: --out ${join(dir, "mine")}: not empty and not an earlier gradlab report (it holds figures, notes.txt)`);
    assert.equal(snapshot(join(dir, "mine")), before, "nothing touched");

    const first = await report(dir, ["--properties", join(dir, "props.json")]);
    assert.is(first.code, 0, first.stderr);
    writeFileSync(join(dir, "out", "notes.txt"), "mine");
    writeFileSync(join(dir, "out", "figures", "plot.svg"), "<svg>mine</svg>");
    const again = await report(dir, ["--properties", join(dir, "props.json")]);
    assert.is(again.code, 0, again.stderr);
    assert.is(readFileSync(join(dir, "out", "notes.txt"), "utf8"), "mine");
    assert.is(readFileSync(join(dir, "out", "figures", "plot.svg"), "utf8"), "<svg>mine</svg>");
    assert.equal(readdirSync(dir).sort(), ["fixtures", "mine", "out", "props.json"], "nothing left beside the report");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Before: files were written in place, so a full disk or a kill left report.json truncated or
// an index.html beside figures of another run. Here a file-size limit (ulimit -f) stops the
// second report midway: SIGXFSZ ends it as a kill would (or the write fails with EFBIG, as on
// a full disk, where the signal is ignored).
test("a report that cannot be finished leaves the earlier report exactly as it was", async () => {
  const dir = workspace({ "fixtures/fashion-sigmoid-vs-relu/quick.json": e1, "props.json": props });
  try {
    const first = await report(dir, ["--properties", join(dir, "props.json")]);
    assert.is(first.code, 0, first.stderr);
    const before = snapshot(join(dir, "out"));
    const argv = thisRuntime(join(REPO_ROOT, "src", "cli.ts"), [
      "report", "--from-fixtures", "--fixtures-dir", join(dir, "fixtures"), "--properties", join(dir, "props.json"), "--out", join(dir, "out"), "--no-browser",
    ]);
    // 64 blocks of 512 bytes: more than any file the runtime itself writes, less than the page
    const quoted = argv.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
    const r = await run(["bash", "-c", `ulimit -f 64; exec ${quoted}`], { timeoutMs: 60_000 });
    assert.ok(r.code !== 0, `the second report failed (${r.code ?? r.signal}): ${r.stderr.slice(-300)}`);
    assert.match(r.stderr + (r.signal ?? ""), /EFBIG|file too large|SIGXFSZ/);
    assert.equal(snapshot(join(dir, "out")), before, "the earlier report is untouched");
    assert.equal(readdirSync(dir).sort(), ["fixtures", "out", "props.json"], "nothing half-built left beside it (removed on the signal)");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
