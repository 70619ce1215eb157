/** Types of install-deps.mjs (plain JavaScript, so Node runs it before anything is installed). */
export function installNeeded(root: string): string | null;
