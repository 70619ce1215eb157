/**
 * Runtime validation of plain data against its JSON Schema (ajv), with errors that name the
 * file or thing, the field and what was expected.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

function describe(e: ErrorObject): string {
  const field = e.instancePath === "" ? "(top level)" : e.instancePath;
  const extra = e.keyword === "additionalProperties"
    ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"`
    : e.keyword === "enum"
    ? `: ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`
    : e.keyword === "const"
    ? `: ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`
    : "";
  return `${field} ${e.message}${extra}`;
}

/**
 * Checks `value` against `schema` and returns it typed, or throws an Error that starts with
 * `what` and lists every violation with its field path.
 *
 * @example
 * const spec = validate<ModelSpec>(modelSpecSchema, JSON.parse(text), "model.json");
 */
export function validate<T>(schema: object, value: unknown, what: string): T {
  let check = compiled.get(schema);
  if (!check) {
    check = ajv.compile(schema);
    compiled.set(schema, check);
  }
  if (!check(value)) {
    // oneOf failures repeat each branch's complaint; keep the distinct lines, the shortest paths first.
    const lines = [...new Set((check.errors ?? []).map(describe))].slice(0, 12);
    throw new Error(`${what}: does not match its schema:\n  ${lines.join("\n  ")}`);
  }
  return value as T;
}
