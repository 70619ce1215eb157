/**
 * Where a section's data comes from, and what happened when it was read: a value (with
 * its origin), nothing here (absent), or a problem naming the file and the field.
 */
import type { SectionProblem } from "./report-schema.ts";

export type Origin = "run" | "fixture" | "file" | "computed";

/** A section's source as read. */
export type Source<T> =
  | { status: "ok"; value: T; origin: Origin; file: string | null; profile: string | null; note?: string }
  | { status: "absent"; note: string }
  | { status: "failed"; problem: SectionProblem; note?: string };

/**
 * The problem behind an error thrown while reading `file`: the field is the JSON pointer
 * of the first schema complaint ("/series/runs/0 must have required property 'result'"),
 * else the JSON path a message names, else null.
 *
 * @example
 * problemOf(new Error("f.json: does not match …:\n  /claims/0/held must be boolean"), "f.json");
 * // { file: "f.json", field: "/claims/0/held", message: "does not match …: /claims/0/held must be boolean" }
 */
export function problemOf(error: unknown, file: string | null): SectionProblem {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  let header = lines[0] ?? "unknown error";
  if (file && header.startsWith(`${file}: `)) header = header.slice(file.length + 2);
  // ajv's complaints follow the header, one per line, each starting with the JSON pointer
  const complaints = lines.slice(1).filter((l) => /^\/\S*\s/.test(l));
  if (complaints.length === 0) return { file, field: null, message: [header, ...lines.slice(1)].join(" ") };
  const pointer = complaints[0]!.slice(0, complaints[0]!.search(/\s/));
  return {
    file,
    field: pointer === "/" ? "/ (the top level)" : pointer,
    message: `${header.replace(/:$/, "")}: ${complaints.slice(0, 3).join("; ")}`,
  };
}

/**
 * Reads a source with `read`, turning a thrown error into a failed source for `file`.
 *
 * @example
 * const s = readSource("report/properties.json", () => readPropertyReport("report/properties.json"), "file");
 */
export function readSource<T>(file: string | null, read: () => T, origin: Origin, profile: string | null = null): Source<T> {
  try {
    return { status: "ok", value: read(), origin, file, profile };
  } catch (error) {
    return { status: "failed", problem: problemOf(error, file) };
  }
}

/**
 * "file f.json, field /a/b: must be number" for people.
 *
 * @example
 * formatProblem({ file: "f.json", field: "/a", message: "/a must be number" }); // "f.json, field /a: /a must be number"
 */
export function formatProblem(p: SectionProblem): string {
  const where = [p.file, p.field ? `field ${p.field}` : null].filter(Boolean).join(", ");
  return where ? `${where}: ${p.message}` : p.message;
}
