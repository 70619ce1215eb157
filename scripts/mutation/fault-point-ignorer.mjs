/**
 * A StrykerJS ignore-plugin: no mutants inside a fault-point switch, `fault("…")`
 * (src/core/fault-points.ts). A switch is off in every real run, so mutating its name or its
 * call only changes which planted bug a test can turn on: the mutants are equivalent in
 * training, and whether each switch reaches its bug is what properties/faults.test.ts checks.
 * The code around a switch (the correct branch and the planted one) is mutated as usual.
 */
import { declareValuePlugin, PluginKind } from "@stryker-mutator/api/plugin";

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "fault-points", {
    shouldIgnore(path) {
      const node = path.node;
      if (node.type === "CallExpression" && node.callee.type === "Identifier" && node.callee.name === "fault") {
        return "a fault-point switch (off in every real run; properties/faults.test.ts checks each one)";
      }
      return undefined;
    },
  }),
];
