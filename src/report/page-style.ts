/** The report page's stylesheet, inlined into index.html (the page loads nothing). */
import { escapeXml } from "./render-svg.ts";
import { FONT } from "./theme.ts";

export const PAGE_CSS = `
:root { --ink: #1d2330; --muted: #5b6475; --line: #e3e6ec; --bg: #f6f7f9; --held: #1a7f37; --held-bg: #dafbe1;
  --failed: #c62828; --failed-bg: #ffebe9; --absent: #6e7781; --absent-bg: #eef0f3; --accent: #4e79a7; }
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0 auto; max-width: 1200px; padding: 24px 32px 48px; color: var(--ink); font: 15px/1.5 ${FONT}; background: white;
  box-shadow: 0 0 0 1px var(--line); min-height: 100vh; }
h1 { font-size: 28px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 21px; margin: 40px 0 6px; padding-top: 16px; border-top: 2px solid var(--line); }
h3 { font-size: 16px; margin: 24px 0 8px; }
p { margin: 6px 0 10px; }
a { color: var(--accent); }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--absent-bg); padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
.lede { color: var(--muted); font-size: 16px; margin-bottom: 16px; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0 20px; font-size: 13px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin: 16px 0; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.tile .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
.tile .value { font-size: 22px; font-weight: 650; margin-top: 2px; }
.tile .sub { color: var(--muted); font-size: 13px; }
.tile.bad { border-color: var(--failed); background: var(--failed-bg); }
nav ol { columns: 2; margin: 8px 0; padding-left: 20px; font-size: 14px; }
.badge { display: inline-block; min-width: 58px; text-align: center; font-size: 12px; font-weight: 600; padding: 1px 8px;
  border-radius: 10px; white-space: nowrap; }
.badge.held, .badge.passed, .badge.ok { color: var(--held); background: var(--held-bg); }
.badge.failed { color: var(--failed); background: var(--failed-bg); }
.badge.absent, .badge.skipped { color: var(--absent); background: var(--absent-bg); }
.table-wrap { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line); }
th { font-size: 12px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; background: #fafbfc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.group td { background: #fafbfc; font-weight: 600; padding-top: 10px; }
.check { color: var(--muted); font-size: 12.5px; }
.margin.pos { color: var(--held); }
.margin.neg { color: var(--failed); }
.section-meta { color: var(--muted); font-size: 13px; margin: 0 0 12px; }
figure { margin: 18px 0 28px; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 14px; color: #333; max-width: 900px; margin-top: 6px; padding-left: 10px; border-left: 3px solid var(--accent); }
figcaption a { font-size: 12px; }
.notice { border-radius: 8px; padding: 10px 14px; margin: 10px 0; font-size: 14px; }
.notice.failed { background: var(--failed-bg); border: 1px solid #f5c2c0; }
.notice.absent { background: var(--absent-bg); border: 1px solid var(--line); color: #333; }
.notice.info { background: #eef4fb; border: 1px solid #cfe0f3; }
footer { margin-top: 48px; padding-top: 12px; border-top: 1px solid var(--line); color: var(--muted); font-size: 13px; }
@media (max-width: 900px) { .tiles { grid-template-columns: repeat(2, 1fr); } nav ol { columns: 1; } body { padding: 16px; } }
`;

/**
 * A self-contained HTML document in the report's style: no script, nothing loaded (the
 * Content-Security-Policy says so), the stylesheet inlined. `title` is escaped; `body` is HTML.
 *
 * @example
 * writeFileSync("index.html", htmlDocument("gradlab plot", "<h1>…</h1>"));
 */
export function htmlDocument(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeXml(title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
