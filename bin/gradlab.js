#!/usr/bin/env node
// The `gradlab` command for npm and npx: runs src/cli.ts under Bun from this package's
// node_modules (GRADLAB_RUNTIME=deno runs it under Deno instead). Node itself cannot run
// the TypeScript sources; the runtimes come with `npm ci` as dev dependencies.
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
child.on("error", (error) => {
  console.error(`gradlab: could not start ${runtime} (${command}): ${error.message}; run npm ci first`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
