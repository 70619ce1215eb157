/** sha256 helpers: over files' raw bytes in a stated order, or over a JSON-shaped value. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

/** sha256 (hex) over the concatenated raw bytes of `paths`, in the order given. */
export function sha256Files(paths: readonly string[]): string {
  const h = createHash("sha256");
  for (const p of paths) h.update(readFileSync(p));
  return h.digest("hex");
}

/** sha256 (hex) of some bytes. */
export function sha256Bytes(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** sha256 (hex) of a value's JSON text (keys in the order written). */
export function sha256Json(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}
