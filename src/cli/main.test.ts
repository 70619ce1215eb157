import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Command, defineCommand, type GlobalOptions, type Output } from "./command.ts";
import { COMMANDS } from "./commands/mod.ts";
import { GLOBAL_FLAGS } from "./global-flags.ts";
import { runCli } from "./main.ts";
import { UsageError } from "./usage-error.ts";

function buffer(): Output & { text: string } {
  const out = { text: "", write: (s: string) => void (out.text += s) };
  return out;
}

/** What the fake command saw on its last run. */
let seen: { flags: unknown; args: string[]; argv: readonly string[]; global: GlobalOptions; seeds: number[] } | null = null;

const echo = defineCommand({
  name: "echo",
  summary: "test command",
  args: "[WORDS...]",
  arity: [0, 2],
  flags: {
    times: { type: "integer", description: "how often", default: 1 },
    fail: { type: "string", description: "throw: error, usage or exit" },
    dir: { type: "string", path: "directory", description: "a directory" },
  },
  async run({ flags, args, argv, global, seed, stdout }) {
    if (flags.fail === "error") throw new Error("boom");
    if (flags.fail === "usage") throw new UsageError("--times: too many");
    if (flags.fail === "exit") return 3;
    seen = { flags, args, argv, global, seeds: global.seed === undefined ? [seed(), seed()] : [seed()] };
    stdout.write(args.join(" ").repeat(flags.times) + "\n");
  },
});

async function cli(...argv: string[]) {
  const stdout = buffer();
  const stderr = buffer();
  seen = null;
  const code = await runCli(argv, { stdout, stderr, commands: [echo as Command] });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

test("runs a command with its flags and arguments", async () => {
  const r = await cli("echo", "--times", "2", "hi");
  assert.is(r.code, 0);
  assert.is(r.stdout, "hihi\n");
  assert.equal(seen?.flags, { times: 2, fail: undefined, dir: undefined });
});

test("the command line as given reaches the command, global flags before the command included", async () => {
  await cli("--seed", "5", "echo", "a", "--times=2");
  assert.equal(seen?.argv, ["--seed", "5", "echo", "a", "--times=2"]);
});

test("an empty path is refused, naming the flag (exit 2)", async () => {
  const r = await cli("echo", "--dir", "");
  assert.is(r.code, 2);
  assert.match(r.stderr, /^gradlab: --dir: expected a directory, got an empty string\n/);
});

test("global flags go before or after the command", async () => {
  await cli("--seed", "7", "echo", "--backend=wasm", "a");
  assert.equal(seen?.global, { seed: 7, backend: "wasm" });
  assert.equal(seen?.args, ["a"]);
  await cli("echo", "b", "--seed=8");
  assert.equal(seen?.global, { seed: 8 });
  assert.equal(seen?.seeds, [8]);
});

test("without --seed a fresh seed is announced once on stderr", async () => {
  const r = await cli("echo");
  const [first, second] = seen!.seeds;
  assert.is(first, second);
  assert.is(r.stderr, `gradlab: seed ${first} (repeat with --seed ${first})\n`);
});

test("unknown command: usage on stderr, exit 2", async () => {
  const r = await cli("bogus");
  assert.is(r.code, 2);
  assert.is(r.stdout, "");
  assert.match(r.stderr, /^gradlab: unknown command "bogus"\n/);
  assert.match(r.stderr, /usage: gradlab COMMAND \[flags\]/);
  assert.match(r.stderr, /echo +test command/);
});

test("unknown flag, before or after the command: usage on stderr, exit 2", async () => {
  for (const argv of [["echo", "--bogus"], ["--bogus", "echo"], ["--bogus"]]) {
    const r = await cli(...argv);
    assert.is(r.code, 2, argv.join(" "));
    assert.match(r.stderr, /^gradlab: unknown flag --bogus\n/);
    assert.match(r.stderr, /usage: gradlab /);
  }
});

test("bad values of global flags are usage errors naming the flag", async () => {
  let r = await cli("echo", "--seed", "-1");
  assert.is(r.code, 2);
  assert.match(r.stderr, /^gradlab: --seed: expected an integer in \[0, 4294967295\], got -1/);
  r = await cli("echo", "--backend", "webgl");
  assert.is(r.code, 2);
  assert.match(r.stderr, /^gradlab: --backend: expected one of cpu, wasm, webgpu, tensorflow, tensorflow-gpu/);
  r = await cli("echo", "--times", "x");
  assert.match(r.stderr, /^gradlab: --times: expected an integer, got "x"/);
  assert.match(r.stderr, /usage: gradlab echo \[flags\] \[WORDS\.\.\.\]/);
});

test("no command: exit 2; --help and -h: usage on stdout, exit 0", async () => {
  assert.is((await cli()).code, 2);
  for (const argv of [["--help"], ["-h"]]) {
    const r = await cli(...argv);
    assert.is(r.code, 0);
    assert.match(r.stdout, /usage: gradlab COMMAND/);
  }
  const r = await cli("echo", "--help");
  assert.is(r.code, 0);
  assert.match(r.stdout, /usage: gradlab echo \[flags\] \[WORDS\.\.\.\]\n\ntest command\n\nflags:\n  --times INTEGER/);
});

test("too many arguments: exit 2", async () => {
  const r = await cli("echo", "a", "b", "c");
  assert.is(r.code, 2);
  assert.match(r.stderr, /^gradlab: echo: expected 0 to 2 arguments \(\[WORDS\.\.\.\]\), got 3: a b c/);
});

test("a handler's Error prints `gradlab: <message>` and exits 1; UsageError exits 2; codes pass through", async () => {
  let r = await cli("echo", "--fail", "error");
  assert.equal([r.code, r.stderr], [1, "gradlab: boom\n"]);
  r = await cli("echo", "--fail", "usage");
  assert.is(r.code, 2);
  assert.match(r.stderr, /^gradlab: --times: too many\n\nusage: gradlab echo/);
  r = await cli("echo", "--fail", "exit");
  assert.is(r.code, 3);
});

test("the command table: unique names, no flag shadows a global one", () => {
  const names = COMMANDS.map((c) => c.name);
  assert.equal(names, [...new Set(names)]);
  for (const command of COMMANDS) {
    for (const key of Object.keys(command.flags)) {
      assert.not.ok(key in GLOBAL_FLAGS, `${command.name}: --${key} is a global flag`);
    }
  }
});

test.run();
