/**
 * Flags as plain data: a command declares `{ seed: { type: "integer", … } }` and gets back
 * `{ seed: number | undefined }`, typed. Keys are camelCase; on the command line they are
 * kebab-case (`dataDir` ↔ `--data-dir`).
 */
import { UsageError } from "./usage-error.ts";

/** What a flag's value is; a boolean flag takes no value. */
export type FlagType = "string" | "integer" | "number" | "boolean";

/** One flag: its type, one line of help, and optionally a default and allowed values. */
export interface FlagSpec {
  type: FlagType;
  description: string;
  /** placeholder for the value in usage, e.g. "NAME" (default: the choices, or the type in capitals) */
  value?: string;
  /** allowed values of a string flag */
  choices?: readonly string[];
  default?: string | number;
  /** the value is a path (an empty one is refused) */
  path?: "file" | "directory";
  /** the path is written to, and checked before the command runs; "stdout": `-` means standard output */
  output?: true | "stdout";
}

export type FlagSpecs = Record<string, FlagSpec>;

type ValueOf<F extends FlagSpec> = F["type"] extends "boolean" ? boolean
  : F["type"] extends "string" ? string
  : number;

/** The parsed values: booleans are always present; others are undefined unless given or defaulted. */
export type FlagValues<S extends FlagSpecs> = {
  [K in keyof S]: S[K]["type"] extends "boolean" ? boolean
    : S[K] extends { default: string | number } ? ValueOf<S[K]>
    : ValueOf<S[K]> | undefined;
};

/** Flags and positional arguments, as parsed. */
export interface ParsedArgs<S extends FlagSpecs> {
  flags: FlagValues<S>;
  positionals: string[];
}

/**
 * The command-line spelling of a flag key.
 *
 * @example
 * flagName("dataDir"); // "--data-dir"
 */
export function flagName(key: string): string {
  return "--" + key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name`; `--` ends the flags. Throws a
 * UsageError naming the flag and what was expected for an unknown flag, a flag given twice,
 * a missing value or a value of the wrong kind.
 *
 * @example
 * parseFlags(["--seed", "7", "run", "--json"], {
 *   seed: { type: "integer", description: "seed" },
 *   json: { type: "boolean", description: "print JSON" },
 * });
 * // { flags: { seed: 7, json: true }, positionals: ["run"] }
 */
export function parseFlags<S extends FlagSpecs>(argv: readonly string[], specs: S): ParsedArgs<S> {
  const byName = new Map(Object.keys(specs).map((key) => [flagName(key), key]));
  const values: Record<string, string | number | boolean | undefined> = {};
  const seen = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const key = byName.get(name);
    if (key === undefined) throw new UsageError(`unknown flag ${name}`);
    if (seen.has(key)) throw new UsageError(`${name} given twice`);
    seen.add(key);
    const spec = specs[key]!;
    if (spec.type === "boolean") {
      if (eq !== -1) throw new UsageError(`${name} takes no value, got ${JSON.stringify(arg.slice(eq + 1))}`);
      values[key] = true;
      continue;
    }
    let raw: string;
    if (eq !== -1) raw = arg.slice(eq + 1);
    else if (i + 1 < argv.length) raw = argv[++i]!;
    else throw new UsageError(`${name}: expected ${describeValue(spec)}, got nothing`);
    values[key] = convert(name, spec, raw);
  }
  for (const [key, spec] of Object.entries(specs)) {
    if (values[key] === undefined) values[key] = spec.type === "boolean" ? false : spec.default;
  }
  return { flags: values as FlagValues<S>, positionals };
}

function describeValue(spec: FlagSpec): string {
  if (spec.choices) return `one of ${spec.choices.join(", ")}`;
  return { string: "a value", integer: "an integer", number: "a number", boolean: "nothing" }[spec.type];
}

function convert(name: string, spec: FlagSpec, raw: string): string | number {
  const fail = () => new UsageError(`${name}: expected ${describeValue(spec)}, got ${JSON.stringify(raw)}`);
  switch (spec.type) {
    case "integer": {
      const n = Number(raw);
      if (!/^[+-]?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n)) throw fail();
      return n;
    }
    case "number": {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n)) throw fail();
      return n;
    }
    default:
      if (spec.choices && !spec.choices.includes(raw)) throw fail();
      if (spec.path && raw === "") throw new UsageError(`${name}: expected ${spec.path === "file" ? "a file" : "a directory"}, got an empty string`);
      return raw;
  }
}

/**
 * Help lines for a set of flags, aligned.
 *
 * @example
 * describeFlags({ json: { type: "boolean", description: "print JSON" } });
 * // ["  --json    print JSON"]
 */
export function describeFlags(specs: FlagSpecs): string[] {
  const rows = Object.entries(specs).map(([key, spec]) => {
    const placeholder = spec.value ?? spec.choices?.join("|") ?? spec.type.toUpperCase();
    const value = spec.type === "boolean" ? "" : ` ${placeholder}`;
    const extra = spec.default !== undefined ? ` (default ${spec.default})` : "";
    return [flagName(key) + value, spec.description + extra] as const;
  });
  const width = Math.max(0, ...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
}
