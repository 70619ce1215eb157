import { test } from "uvu";
import * as assert from "uvu/assert";
import { describeFlags, flagName, type FlagSpecs, parseFlags } from "./flags.ts";
import { UsageError } from "./usage-error.ts";

const SPECS = {
  seed: { type: "integer", description: "seed" },
  lr: { type: "number", description: "learning rate", default: 0.1 },
  dataDir: { type: "string", description: "data directory", value: "DIR" },
  profile: { type: "string", description: "profile", choices: ["ci", "thorough"], default: "ci" },
  json: { type: "boolean", description: "print JSON" },
} as const satisfies FlagSpecs;

function usageError(argv: string[]): string {
  try {
    parseFlags(argv, SPECS);
  } catch (error) {
    assert.instance(error, UsageError);
    return (error as Error).message;
  }
  assert.unreachable(`expected a UsageError for ${argv.join(" ")}`);
  return "";
}

test("values of every type, in both spellings, with positionals kept in order", () => {
  const { flags, positionals } = parseFlags(
    ["run", "--seed", "7", "--lr=0.01", "--data-dir", "/tmp/d", "E1", "--json"],
    SPECS,
  );
  assert.equal(flags, { seed: 7, lr: 0.01, dataDir: "/tmp/d", profile: "ci", json: true });
  assert.equal(positionals, ["run", "E1"]);
});

test("defaults apply; absent flags without one are undefined; booleans are false", () => {
  const { flags } = parseFlags([], SPECS);
  assert.equal(flags, { seed: undefined, lr: 0.1, dataDir: undefined, profile: "ci", json: false });
});

test("-- ends the flags; a lone - is a positional", () => {
  const { flags, positionals } = parseFlags(["-", "--", "--json", "x"], SPECS);
  assert.is(flags.json, false);
  assert.equal(positionals, ["-", "--json", "x"]);
});

test("a value may start with a dash (negative numbers)", () => {
  assert.is(parseFlags(["--seed", "-3"], SPECS).flags.seed, -3);
});

test("errors name the flag and what was expected", () => {
  assert.is(usageError(["--bogus"]), "unknown flag --bogus");
  assert.is(usageError(["--dataDir", "x"]), "unknown flag --dataDir");
  assert.is(usageError(["--seed", "1", "--seed=2"]), "--seed given twice");
  assert.is(usageError(["--seed"]), "--seed: expected an integer, got nothing");
  assert.is(usageError(["--seed", "1.5"]), '--seed: expected an integer, got "1.5"');
  assert.is(usageError(["--seed", "9007199254740993"]), '--seed: expected an integer, got "9007199254740993"');
  assert.is(usageError(["--lr", "fast"]), '--lr: expected a number, got "fast"');
  assert.is(usageError(["--lr="]), '--lr: expected a number, got ""');
  assert.is(usageError(["--profile", "quick"]), '--profile: expected one of ci, thorough, got "quick"');
  assert.is(usageError(["--json=yes"]), '--json takes no value, got "yes"');
});

test("flag names are the kebab-case of the keys", () => {
  assert.is(flagName("dataDir"), "--data-dir");
  assert.is(flagName("json"), "--json");
});

test("help lines are aligned and show value placeholders and defaults", () => {
  assert.equal(describeFlags(SPECS), [
    "  --seed INTEGER         seed",
    "  --lr NUMBER            learning rate (default 0.1)",
    "  --data-dir DIR         data directory",
    "  --profile ci|thorough  profile (default ci)",
    "  --json                 print JSON",
  ]);
});

test.run();
