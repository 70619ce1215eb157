/**
 * `gradlab` on a test double of a broken backend: cpu's AddN drops every input past the 7th,
 * as tfjs-backend-webgpu's did on a device with 8 storage buffers. Run as a child process by
 * refused-backend.test.ts (the self-check runs once per backend and process):
 *
 *   bun src/cli/testing-broken-backend.ts train CONFIG.json --backend cpu
 */
import process from "node:process";
import "@tensorflow/tfjs-backend-cpu";
import { addNOfTheFirstSeven, replaceKernel } from "../backend/testing.ts";
import { runCli } from "./main.ts";

replaceKernel("AddN", "cpu", addNOfTheFirstSeven);
process.exitCode = await runCli(process.argv.slice(2));
