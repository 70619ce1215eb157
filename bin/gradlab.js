#!/usr/bin/env node
// The `gradlab` command for npm and npx: runs src/cli.ts under Bun from this package's
// node_modules (GRADLAB_RUNTIME=deno runs it under Deno instead). Node itself cannot run
// the TypeScript sources; the runtimes come with `npm ci` as dev dependencies.
//
// The runtime is a child process: SIGINT, SIGTERM and SIGHUP sent to this launcher are passed
// on to it (a Ctrl-C reaches both anyway; `kill PID` reaches only the launcher), and the
// launcher ends as the child ended, with its exit code or by its signal.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const local = (name) => {
  const path = `${root}node_modules/.bin/${name}`;
  return existsSync(path) ? path : name;
};
const runtime = process.env.GRADLAB_RUNTIME || "bun";
const commands = {
  bun: [local("bun"), [cli]],
  deno: [local("deno"), ["run", "-A", "--v8-flags=--expose-gc", cli]],
};
if (!(runtime in commands)) {
  console.error(`gradlab: GRADLAB_RUNTIME: expected bun or deno, got ${JSON.stringify(runtime)}`);
  process.exit(2);
}
const [command, args] = commands[runtime];
const child = spawn(command, [...args, ...process.argv.slice(2)], { stdio: "inherit" });
const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP"];
const forward = (signal) => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of FORWARDED) process.on(signal, forward);
child.on("error", (error) => {
  console.error(`gradlab: could not start ${runtime} (${command}): ${error.message}; run npm ci first`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  if (signal) {
    // End by the same signal, so the shell sees 128 + its number.
    for (const s of FORWARDED) process.removeListener(s, forward);
    process.kill(process.pid, signal);
  } else {
    process.exit(code ?? 1);
  }
});
