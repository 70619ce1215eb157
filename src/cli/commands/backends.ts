/**
 * `gradlab backends`: which tfjs backends work here, why the others do not, and on what; for
 * WebGPU the adapter, whether it is a software one, and the limits of gradlab's device;
 * with --check, each available backend's self-check.
 */
import process from "node:process";
import * as tf from "@tensorflow/tfjs-core";
import {
  type BackendInfo, chooseBackend, DEFAULT_ORDER, type GpuDescription, listBackends, runtimeInfo, selfCheckOf, type SelfCheckReport, useBackend,
} from "../../backend/mod.ts";
import { formatBytes } from "../../core/mod.ts";
import { defineCommand } from "../command.ts";

/** The outcome of one backend's self-check, as printed and in the JSON. */
type CheckOutcome = { passed: true; report: SelfCheckReport } | { passed: false; error: string };

/** Runs the self-check of every available backend (activating each), then restores the active one. */
async function checkAll(infos: readonly BackendInfo[]): Promise<Map<string, CheckOutcome>> {
  const previous = tf.getBackend();
  const outcomes = new Map<string, CheckOutcome>();
  for (const info of infos.filter((i) => i.available)) {
    try {
      await useBackend(info.name);
      outcomes.set(info.name, { passed: true, report: (await selfCheckOf(info.name))! });
    } catch (error) {
      outcomes.set(info.name, { passed: false, error: (error as Error).message });
    }
  }
  if (previous && infos.some((i) => i.name === previous && i.available)) await useBackend(previous).catch(() => undefined);
  return outcomes;
}

/** The adapter and limit lines under a WebGPU backend. */
function gpuLines(gpu: GpuDescription, indent: string): string[] {
  const vendor = [gpu.vendor && `vendor ${gpu.vendor}`, gpu.architecture && `architecture ${gpu.architecture}`].filter(Boolean).join(", ");
  const lines = [
    `${indent}adapter: ${gpu.adapter}${vendor ? ` (${vendor})` : ""}`,
    `${indent}software: ${gpu.software ? "yes" : "no"}, ${gpu.softwareBecause}`,
    `${indent}limits that matter (gradlab's device / adapter / WebGPU default):`,
  ];
  const width = Math.max(...gpu.limits.map((l) => l.name.length)) + 2;
  const values = gpu.limits.map((l) => [l.device, l.adapter, l.default].map((v) => (l.bytes ? formatBytes(v) : String(v))).join(" / "));
  const valueWidth = Math.max(...values.map((v) => v.length)) + 2;
  gpu.limits.forEach((l, i) => lines.push(`${indent}  ${l.name.padEnd(width)}${values[i]!.padEnd(valueWidth)}${l.bounds}`));
  return lines;
}

function checkLine(outcome: CheckOutcome | undefined, indent: string): string[] {
  if (!outcome) return [];
  if (outcome.passed) {
    const r = outcome.report;
    return [`${indent}self-check: passed (${r.computations} computations, ${r.elements} values, subnormals ${r.subnormals}, ${r.ms.toFixed(0)} ms)`];
  }
  return outcome.error.split("\n").map((line, i) => `${indent}${i === 0 ? "self-check: REFUSED: " : "  "}${line}`);
}

export const backends = defineCommand({
  name: "backends",
  summary: "list the tfjs backends: available or not, why, and on what device",
  flags: {
    json: { type: "boolean", description: "print JSON instead of a table" },
    check: { type: "boolean", description: "also run each available backend's self-check (known answers; a backend that gets one wrong is refused)" },
  },
  async run({ flags, global, stdout }) {
    const infos = await listBackends();
    const runtime = runtimeInfo();
    const requested = global.backend ?? (process.env.GRADLAB_BACKEND || undefined);
    let chosen: string | null = null;
    let problem: string | null = null;
    try {
      chosen = chooseBackend(infos, requested).name;
    } catch (error) {
      problem = (error as Error).message.split("\n")[0]!;
    }

    const checks = flags.check ? await checkAll(infos) : new Map<string, CheckOutcome>();

    if (flags.json) {
      const backends = infos.map((i) => (checks.has(i.name) ? { ...i, selfCheck: checks.get(i.name) } : i));
      const report = { ...runtime, tfjsVersion: tf.version_core, chosen, problem, backends };
      stdout.write(JSON.stringify(report, null, 2) + "\n");
      return;
    }
    const lines = [
      `${runtime.runtime} ${runtime.runtimeVersion} on ${runtime.platform} ${runtime.arch}, ` +
      `tfjs-core ${tf.version_core}`,
      "",
    ];
    const width = Math.max(...infos.map((i) => i.name.length)) + 2;
    const indent = " ".repeat(2 + width + 11);
    lines.push(`  ${"backend".padEnd(width)}${"status".padEnd(11)}device, and how it was found / why not`);
    for (const info of infos) {
      const mark = info.name === chosen ? "* " : "  ";
      const state = (info.available ? (info.fallback ? "fallback" : "available") : "no").padEnd(11);
      if (info.available) {
        lines.push(`${mark}${info.name.padEnd(width)}${state}${info.device}`, `${indent}${info.reason}`);
        if (info.gpu) lines.push(...gpuLines(info.gpu, indent));
        lines.push(...checkLine(checks.get(info.name), indent));
      } else {
        lines.push(`${mark}${info.name.padEnd(width)}${state}${info.reason}`);
      }
    }
    lines.push("");
    const how = requested
      ? `as asked by ${global.backend ? "--backend" : "GRADLAB_BACKEND"}`
      : `the first available of ${DEFAULT_ORDER.join(", ")}`;
    lines.push(problem ? `no backend chosen: ${problem}` : `* = the backend gradlab uses: ${how}`);
    lines.push("choose with --backend NAME or GRADLAB_BACKEND=NAME");
    stdout.write(lines.join("\n") + "\n");
  },
});
