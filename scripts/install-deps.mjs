#!/usr/bin/env node
// `npm start` and `npm test` run this first (their prestart/pretest scripts): plain Node, so it
// works on a fresh clone where nothing is installed yet. When node_modules is missing, or does
// not hold what package-lock.json pins (after a pull that changed the lock, say), it runs
// `npm ci`; otherwise it does nothing and says nothing.
//
//   node scripts/install-deps.mjs            install when needed
//   node scripts/install-deps.mjs --check    only say whether an install is needed (exit 1 if so)
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Why `root`'s node_modules needs `npm ci`, or null when it holds every package the lock file
 * pins at its version (npm's own record of what it installed, node_modules/.package-lock.json,
 * against package-lock.json; an optional package may be absent, as npm skips those that do not
 * fit the platform).
 */
export function installNeeded(root) {
  const read = (path) => JSON.parse(readFileSync(path, "utf8"));
  if (!existsSync(join(root, "node_modules"))) return "node_modules is missing";
  const installedPath = join(root, "node_modules", ".package-lock.json");
  if (!existsSync(installedPath)) return "node_modules has no record of an npm install (node_modules/.package-lock.json)";
  const wanted = read(join(root, "package-lock.json")).packages ?? {};
  const installed = read(installedPath).packages ?? {};
  for (const [path, entry] of Object.entries(wanted)) {
    if (path === "" || entry.link) continue;
    const have = installed[path];
    if (!have && entry.optional) continue;
    if (!have) return `${path.replace(/^node_modules\//, "")} ${entry.version} is not installed`;
    if (have.version !== entry.version) return `${path.replace(/^node_modules\//, "")} is ${have.version}, package-lock.json pins ${entry.version}`;
  }
  for (const path of Object.keys(installed)) {
    if (!(path in wanted)) return `${path.replace(/^node_modules\//, "")} is installed but no longer in package-lock.json`;
  }
  return null;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const why = installNeeded(root);
  if (process.argv.includes("--check")) {
    console.log(why ? `install needed: ${why}` : "node_modules matches package-lock.json");
    process.exit(why ? 1 : 0);
  }
  if (why) {
    console.error(`gradlab: installing the dependencies with npm ci (${why}); this takes a minute or two, once`);
    // Inside an npm script npm_execpath is the npm that runs it; otherwise npm from PATH.
    const npm = process.env.npm_execpath;
    const [command, args] = npm && /npm-cli\.js$/.test(npm) ? [process.execPath, [npm]] : ["npm", []];
    const r = spawnSync(command, [...args, "ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
    if (r.status !== 0) {
      console.error(`gradlab: npm ci failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}); see above`);
      process.exit(r.status || 1);
    }
  }
}
