/**
 * A StrykerJS ignore-plugin: no mutants in fault-point code (src/core/fault-points.ts). A
 * switch `fault("…")` is off in every real run, so mutating it, or the planted bug it guards,
 * changes nothing that trains: those mutants are equivalent by construction, and whether each
 * switch reaches its bug is what properties/faults.test.ts checks. Ignored:
 *  - a call `fault("…")`, and a test `… && fault("…")` (false in every real run);
 *  - the branch such a test guards: the consequent of `fault(…) ? planted : correct` and of
 *    `if (fault(…)) planted`.
 * The correct branch beside it is mutated as usual.
 */
import { declareValuePlugin, PluginKind } from "@stryker-mutator/api/plugin";

const REASON = "fault-point code: off in every real run (properties/faults.test.ts checks each switch)";

function isFaultCall(node) {
  return node?.type === "CallExpression" && node.callee.type === "Identifier" && node.callee.name === "fault";
}

/** A test that is false whenever no fault point is on. */
function isFaultTest(node) {
  if (isFaultCall(node)) return true;
  return node?.type === "LogicalExpression" && node.operator === "&&" && (isFaultTest(node.left) || isFaultTest(node.right));
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "fault-points", {
    shouldIgnore(path) {
      const { node, parent } = path;
      if (isFaultTest(node)) return REASON;
      const guarded = (parent?.type === "ConditionalExpression" || parent?.type === "IfStatement") && parent.consequent === node && isFaultTest(parent.test);
      return guarded ? REASON : undefined;
    },
  }),
];
