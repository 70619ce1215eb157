/**
 * Which law catches each fault planted in src/core, and how fast: every fault point
 * (src/core/fault-points.ts) whose name or law matches REGEX is switched on in turn and its law
 * checked at twice its CI runs, without shrinking (as properties/faults.test.ts does), printing
 * one line per point: caught or MISSED, the law, the time, the counterexample's message.
 *
 *   bun scripts/fault-points.ts [REGEX] [--backend cpu|wasm|…] [--seed N]
 *
 * Exits 1 when a fault point is missed.
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { type BackendName, isBackendName } from "../src/backend/mod.ts";
import { FAULT_POINTS, type FaultPoint, withFaultPoint } from "../src/core/mod.ts";
import { checkLaw } from "../properties/harness.ts";
import { LAWS } from "../properties/laws.ts";

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { backend: { type: "string", default: "cpu" }, seed: { type: "string", default: process.env.GRADLAB_SEED ?? "20261125" } },
  allowPositionals: true,
});
if (!isBackendName(values.backend)) {
  console.error(`scripts/fault-points.ts: --backend: expected a backend name, got ${JSON.stringify(values.backend)}`);
  process.exit(2);
}
const backend: BackendName = values.backend;
const seed = Number(values.seed);
if (!Number.isInteger(seed) || seed < 0) {
  console.error(`scripts/fault-points.ts: --seed: expected an integer ≥ 0, got ${JSON.stringify(values.seed)}`);
  process.exit(2);
}
const filter = new RegExp(positionals[0] ?? "");

let missed = 0;
for (const [point, { law: name, fault }] of Object.entries(FAULT_POINTS) as [FaultPoint, { law: string; fault: string }][]) {
  if (!filter.test(point) && !filter.test(name)) continue;
  const law = LAWS.find((l) => l.name === name)!;
  const started = performance.now();
  const r = await withFaultPoint(point, () => checkLaw(law, backend, { seed, runs: 2 * law.runs, shrink: false }));
  const ms = Math.round(performance.now() - started);
  const caught = r.status === "failed" && r.counterexample !== null;
  if (!caught) missed++;
  const why = (r.counterexample?.error ?? r.error ?? "").split("\n")[0];
  console.log(`${caught ? "caught" : "MISSED"}  ${point} (${fault}) by ${name} on ${backend} in ${ms} ms${caught ? `, run ${r.runs}: ${why.slice(0, 160)}` : ""}`);
}
process.exitCode = missed ? 1 : 0;
