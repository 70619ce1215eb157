/**
 * Runtime validation of plain data against its JSON Schema (ajv), with errors that name the
 * file or thing, the field and what was expected.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * One schema violation for people: the field's JSON path (`field`; default the error's own),
 * what is wrong, and the unknown property or the allowed values.
 *
 * @example
 * schemaErrorLine(error, `model.json${error.instancePath}`); // 'model.json/layers/0 must NOT have additional properties "unit"'
 */
export function schemaErrorLine(e: ErrorObject, field: string = e.instancePath === "" ? "(top level)" : e.instancePath): string {
  const extra = e.keyword === "additionalProperties"
    ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"`
    : e.keyword === "enum" && (e.params as { allowedValues?: unknown[] }).allowedValues
    ? `: ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`
    : e.keyword === "const"
    ? `: ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`
    : "";
  return `${field} ${e.message}${extra}`;
}

/**
 * A `oneOf` of objects told apart by a property (`name: "adam"`) fails with every branch's
 * complaints. Keep those of the branch the value meant (the one whose `name` it has); when it
 * names no branch, one line with the names there are.
 */
function meantBranches(errors: ErrorObject[]): ErrorObject[] {
  let out = errors;
  for (const oneOf of errors.filter((e) => e.keyword === "oneOf")) {
    const prefix = `${oneOf.schemaPath}/`;
    const branchOf = (e: ErrorObject) => (e.schemaPath.startsWith(prefix) ? Number(e.schemaPath.slice(prefix.length).split("/")[0]) : -1);
    // A branch is not meant when the value's tag property fails that branch's const or enum.
    const tagMiss = (e: ErrorObject) =>
      branchOf(e) >= 0 && (e.keyword === "const" || e.keyword === "enum") &&
      e.instancePath.startsWith(`${oneOf.instancePath}/`) && !e.instancePath.slice(oneOf.instancePath.length + 1).includes("/") &&
      e.schemaPath === `${prefix}${branchOf(e)}/properties/${e.instancePath.slice(oneOf.instancePath.length + 1)}/${e.keyword}`;
    const branches = (oneOf.schema as unknown[]).map((_, i) => i);
    const missed = new Set(out.filter(tagMiss).map(branchOf));
    const meant = branches.filter((i) => !missed.has(i));
    const inThisOneOf = (e: ErrorObject) => e === oneOf || branchOf(e) >= 0;
    if (meant.length === 1) {
      out = out.filter((e) => !inThisOneOf(e) || branchOf(e) === meant[0]);
    } else if (meant.length === 0) {
      const misses = out.filter(tagMiss);
      const tag = misses[0]!.instancePath;
      const allowed = misses.flatMap((e) => (e.keyword === "const" ? [(e.params as { allowedValue: unknown }).allowedValue] : (e.params as { allowedValues: unknown[] }).allowedValues));
      const line: ErrorObject = { ...misses[0]!, keyword: "enum", message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(misses[0]!.data)}`, params: {} };
      out = out.flatMap((e) => (e === oneOf ? [{ ...line, instancePath: tag }] : inThisOneOf(e) ? [] : [e]));
    }
  }
  return out;
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
    const lines = [...new Set(meantBranches(check.errors ?? []).map((e) => schemaErrorLine(e)))].slice(0, 12);
    throw new Error(`${what}: does not match its schema:\n  ${lines.join("\n  ")}`);
  }
  return value as T;
}
