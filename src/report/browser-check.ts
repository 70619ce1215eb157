/**
 * Opening the report in a real browser: headless Chromium (the system's, never a downloaded
 * one) driven by playwright-core. Checks that the page makes no requests and logs no errors,
 * that every figure drew marks, and that it fits a 1280-px-wide window; saves a screenshot.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Where Debian's `chromium` package puts the browser. */
export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

/** The flags Chromium runs with: headless, no sandbox (CI runs as root), nothing fetched on its own. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
] as const;

/** The window the page must fit. */
export const VIEWPORT = { width: 1280, height: 900 } as const;

/** What the page reports about itself. */
interface InPage {
  figures: { id: string; marks: number; hasSvg: boolean }[];
  scrollWidth: number;
}

/**
 * Runs inside the page (a string: the type-checker has no DOM types here). A mark counts
 * when Vega drew it with a non-empty box: axes, legends and titles are not marks.
 */
const IN_PAGE = `(() => {
  const figures = [...document.querySelectorAll("figure")].map((f) => {
    const shapes = [...f.querySelectorAll("svg g.role-mark path, svg g.role-mark line, svg g.role-mark rect, svg g.role-mark circle")];
    const marks = shapes.filter((s) => { const b = s.getBBox(); return b.width > 0 || b.height > 0; }).length;
    return { id: f.id.replace(/^fig-/, ""), marks, hasSvg: f.querySelector("svg") !== null };
  });
  return { figures, scrollWidth: document.documentElement.scrollWidth };
})()`;

/** What the browser found. */
export interface BrowserCheck {
  /** true when there were no problems */
  ok: boolean;
  problems: string[];
  /** figures on the page, and how many marks (lines, bars, points…) each drew */
  figures: { id: string; marks: number }[];
  /** the page's width in the 1280-px window */
  scrollWidth: number;
  screenshot: string | null;
  chromium: string;
  browserVersion: string;
}

/**
 * The Chromium to use: GRADLAB_CHROMIUM, else /usr/bin/chromium; null when neither exists.
 *
 * @example
 * const chromium = findChromium(process.env); // "/usr/bin/chromium"
 */
export function findChromium(env: Record<string, string | undefined> = {}): string | null {
  const candidates = [env.GRADLAB_CHROMIUM, SYSTEM_CHROMIUM].filter((p): p is string => Boolean(p));
  return candidates.find((p) => existsSync(p)) ?? null;
}

/**
 * Opens `indexPath` in headless Chromium at 1280 px and checks it; saves a full-page
 * screenshot to `screenshot` when given.
 *
 * @example
 * const check = await checkInBrowser("report/index.html", { screenshot: "report/screenshot.png" });
 * if (!check.ok) console.error(check.problems.join("\n"));
 */
export async function checkInBrowser(
  indexPath: string,
  options: { screenshot?: string; executablePath?: string; timeoutMs?: number } = {},
): Promise<BrowserCheck> {
  const executablePath = options.executablePath ?? findChromium();
  if (!executablePath) throw new Error(`no Chromium: install Debian's chromium package (${SYSTEM_CHROMIUM}) or set GRADLAB_CHROMIUM`);
  const { chromium } = await import("playwright-core");
  const url = pathToFileURL(resolve(indexPath)).href;
  const problems: string[] = [];
  const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], timeout: options.timeoutMs ?? 60_000 });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("request", (r) => {
      if (r.url() !== url) problems.push(`the page requested ${r.url()}`);
    });
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? "?"})`));
    const response = await page.goto(url, { waitUntil: "load" });
    if (response && !response.ok()) problems.push(`loading ${url} gave status ${response.status()}`);
    const found = await page.evaluate<InPage>(IN_PAGE);
    for (const f of found.figures) {
      if (!f.hasSvg) problems.push(`figure ${f.id} has no SVG`);
      else if (f.marks === 0) problems.push(`figure ${f.id} drew no marks`);
    }
    if (found.figures.length === 0) problems.push("the page has no figures");
    if (found.scrollWidth > VIEWPORT.width) problems.push(`the page is ${found.scrollWidth} px wide: wider than the ${VIEWPORT.width}-px window`);
    if (options.screenshot) await page.screenshot({ path: options.screenshot, fullPage: true });
    return {
      ok: problems.length === 0,
      problems,
      figures: found.figures.map(({ id, marks }) => ({ id, marks })),
      scrollWidth: found.scrollWidth,
      screenshot: options.screenshot ?? null,
      chromium: executablePath,
      browserVersion: browser.version(),
    };
  } finally {
    await browser.close();
  }
}
