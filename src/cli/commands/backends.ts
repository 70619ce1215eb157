/** `gradlab backends`: which tfjs backends work here, why the others do not, and on what. */
import process from "node:process";
import * as tf from "@tensorflow/tfjs-core";
import { chooseBackend, DEFAULT_ORDER, listBackends, runtimeInfo } from "../../backend/mod.ts";
import { defineCommand } from "../command.ts";

export const backends = defineCommand({
  name: "backends",
  summary: "list the tfjs backends: available or not, why, and on what device",
  flags: {
    json: { type: "boolean", description: "print JSON instead of a table" },
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

    if (flags.json) {
      const report = { ...runtime, tfjsVersion: tf.version_core, chosen, problem, backends: infos };
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
