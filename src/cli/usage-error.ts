/**
 * An error in how the command was called (unknown command or flag, a missing or malformed
 * value). The CLI prints its message with the usage on stderr and exits with code 2.
 */
export class UsageError extends Error {
  override name = "UsageError";
}
