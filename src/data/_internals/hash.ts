/** sha256 helpers: of bytes, or of a JSON-shaped value (generator parameters). */
import { createHash } from "node:crypto";

/** sha256 (hex) of some bytes. */
export function sha256Bytes(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** sha256 (hex) of a value's JSON text (keys in the order written). */
export function sha256Json(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}
