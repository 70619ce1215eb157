import { execFileSync, spawn } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { run, thisRuntime } from "../testing/subprocess.ts";
import { writeFileAtomic, writeOutput } from "./write-file.ts";

const tmp = mkdtempSync(join(tmpdir(), "gradlab-write-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  return assert.unreachable("expected a rejection") as never;
}
const fresh = () => {
  const d = join(tmp, `t${n++}`);
  mkdirSync(d);
  return d;
};

test("a file is written whole, its directory made; nothing but the file is left", async () => {
  const d = fresh();
  await writeFileAtomic(join(d, "a", "b.json"), "new\n");
  assert.is(readFileSync(join(d, "a", "b.json"), "utf8"), "new\n");
  await writeFileAtomic(join(d, "a", "b.json"), new Uint8Array([104, 105]));
  assert.is(readFileSync(join(d, "a", "b.json"), "utf8"), "hi");
  assert.equal(readdirSync(join(d, "a")), ["b.json"]);
});

test("a symbolic link is written through and stays a link (also one to a file not there yet)", async () => {
  const d = fresh();
  writeFileSync(join(d, "real.json"), "old");
  symlinkSync("real.json", join(d, "link.json"));
  await writeFileAtomic(join(d, "link.json"), "new");
  assert.ok(lstatSync(join(d, "link.json")).isSymbolicLink(), "the link is not replaced by a file");
  assert.is(readFileSync(join(d, "real.json"), "utf8"), "new");
  symlinkSync(join(d, "later.json"), join(d, "dangling.json"));
  await writeFileAtomic(join(d, "dangling.json"), "made");
  assert.ok(lstatSync(join(d, "dangling.json")).isSymbolicLink());
  assert.is(readFileSync(join(d, "later.json"), "utf8"), "made");
});

test("a device is written through, never replaced: a link to /dev/null stays a link, /dev/null a device", async () => {
  const d = fresh();
  symlinkSync("/dev/null", join(d, "null"));
  await writeFileAtomic(join(d, "null"), "discarded");
  assert.ok(lstatSync(join(d, "null")).isSymbolicLink());
  assert.ok(statSync("/dev/null").isCharacterDevice());
  assert.equal(readdirSync(d), ["null"], "no temporary file beside the link");
});

test("a FIFO is written through to its reader", async () => {
  const d = fresh();
  const fifo = join(d, "pipe");
  execFileSync("mkfifo", [fifo]);
  const reader = spawn("cat", [fifo], { stdio: ["ignore", "pipe", "inherit"] });
  let read = "";
  reader.stdout.on("data", (b: Buffer) => (read += b.toString()));
  const done = new Promise((resolve) => reader.on("close", resolve));
  await writeFileAtomic(fifo, "through the pipe\n");
  await done;
  assert.is(read, "through the pipe\n");
  assert.ok(lstatSync(fifo).isFIFO(), "still a FIFO");
});

test("- is standard output: no file named - appears", async () => {
  let out = "";
  const d = fresh();
  const cwd = process.cwd();
  process.chdir(d);
  try {
    await writeOutput("-", "{}\n", { write: (s: string) => (out += s) });
  } finally {
    process.chdir(cwd);
  }
  assert.is(out, "{}\n");
  assert.equal(readdirSync(d), []);
});

test("a write that fails names the path, keeps the old file and leaves no temporary file", async () => {
  const d = fresh();
  writeFileSync(join(d, "x.json"), "old");
  mkdirSync(join(d, "dir.json"));
  assert.match(await rejection(writeFileAtomic(join(d, "dir.json"), "new")), /could not write .*dir\.json: is a directory/);
  writeFileSync(join(d, "blocker"), "a file where a directory should be");
  assert.match(await rejection(writeFileAtomic(join(d, "blocker", "x.json"), "new")), /could not write .*blocker\/x\.json/);
  assert.is(readFileSync(join(d, "x.json"), "utf8"), "old");
  assert.equal(readdirSync(d).sort(), ["blocker", "dir.json", "x.json"]);
});

// A large write killed halfway (SIGTERM, as `kill` sends): the old file stays whole and no
// temporary file is left; before write-file-atomic, fixtures' `x.json.<pid>.tmp` stayed.
test("a write killed halfway leaves the old file whole and no temporary file", async () => {
  const d = fresh();
  const target = join(d, "big.json");
  writeFileSync(target, "old");
  const script = join(d, "write.ts");
  const writer = fileURLToPath(new URL("./write-file.ts", import.meta.url));
  const bytes = 256 << 20; // ~0.1–0.5 s to write and fsync here: the signal lands within it
  writeFileSync(script, `import { writeFileAtomic } from ${JSON.stringify(writer)};
const data = new Uint8Array(${bytes}).fill(120);
console.error("writing");
await writeFileAtomic(${JSON.stringify(target)}, data);
console.error("done");`);
  let sent = false;
  const r = await run(thisRuntime(script), {
    onStderr(text, pid) {
      if (!sent && text.includes("writing")) {
        sent = true;
        process.kill(pid, "SIGTERM");
      }
    },
  });
  assert.ok(sent, r.stderr);
  assert.is(r.signal ?? r.code, r.stderr.includes("done") ? 0 : "SIGTERM", r.stderr);
  const size = statSync(target).size;
  assert.ok(size === 3 || size === bytes, `the target is the old or the new file, whole (${size} bytes)`);
  assert.equal(readdirSync(d).sort(), ["big.json", "write.ts"], "no temporary file left");
});

test.run();
