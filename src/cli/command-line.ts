/** A command line as text a shell would read back the same: `gradlab train 'my config.json' --seed 5`. */

/**
 * The words quoted for a POSIX shell where needed.
 *
 * @example
 * shellLine(["gradlab", "train", "my config.json"]); // "gradlab train 'my config.json'"
 */
export function shellLine(words: readonly string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`)).join(" ");
}
