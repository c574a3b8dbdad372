import { escapeHtml } from './escape-html';

/**
 * A whole HTML document with its styles inline: no scripts, fonts or images from elsewhere, so the
 * report opens offline, from an e-mail attachment, or years later.
 */
export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const STYLE = `
:root { --ink: #1d2330; --muted: #5b6472; --line: #dde1e7; --paper: #ffffff; --wash: #f5f7fa;
  --up: #ff0051; --down: #008bfb; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--wash); color: var(--ink);
  font: 15px/1.55 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 0 0 10px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
.subtitle { color: var(--muted); margin: 0 0 20px; }
section { background: var(--paper); border: 1px solid var(--line); border-radius: 8px;
  padding: 18px 22px; margin: 0 0 18px; }
.lead { font-size: 16px; }
.how { background: #f1f6ff; border-left: 4px solid var(--down); padding: 10px 14px; margin: 10px 0 4px;
  border-radius: 0 6px 6px 0; color: #26314a; }
.how strong { color: var(--ink); }
.up { color: var(--up); font-weight: 600; }
.down { color: var(--down); font-weight: 600; }
.note { color: var(--muted); font-size: 14px; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 8px 28px; }
table { border-collapse: collapse; font-size: 14px; }
th, td { text-align: left; padding: 4px 10px 4px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; padding-left: 10px; }
.scroll { overflow-x: auto; }
.plot { margin: 8px 0; }
.plot svg { max-width: 100%; height: auto; }
.panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(250px, 1fr)); gap: 18px; align-items: start; }
.waterfall { border-top: 1px solid var(--line); padding-top: 4px; margin-top: 14px; }
code { background: var(--wash); padding: 1px 5px; border-radius: 4px; font-size: 13px; }
footer { color: var(--muted); font-size: 13px; text-align: center; }
`;
