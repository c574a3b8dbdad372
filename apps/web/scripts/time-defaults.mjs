// How long a page's default run takes in Debian's Chromium, from the Start click to "finished":
//   node apps/web/scripts/time-defaults.mjs --page descent --panel minibatch [--backend wasm] [--rounds 3]
// --backend picks it in the URL (webgpu here is SwiftShader's software adapter); without it the
// app's own auto choice runs. --panel names the data-testid of the panel whose Start is clicked
// (a page with two demos); without it the page's first. Prints each round's wall time, the
// readouts listed with --read (comma-separated test ids), and the load average; --shot FILE
// saves a screenshot of the panel (or page) after each round, --width sets the viewport's width.
// Needs the built app (pnpm build). A measurement, not a test: timings on a shared machine vary.
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const dist = resolve(import.meta.dirname, '../dist');
const chromiumPath = process.env.DESCENT_CHROMIUM ?? '/usr/lib/chromium/chromium';
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const pageId = arg('--page', 'descent');
const panel = arg('--panel', '');
const backend = arg('--backend', '');
const rounds = Number(arg('--rounds', '1'));
const shot = arg('--shot', '');
const width = Number(arg('--width', '1280'));
const reads = arg('--read', '').split(',').filter(Boolean);
if (!existsSync(join(dist, 'index.html')))
  throw new Error(`${dist}/index.html is missing: run pnpm build first`);
if (!existsSync(chromiumPath)) throw new Error(`Chromium is missing at ${chromiumPath}`);

const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.gz': 'application/gzip',
};
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const file = normalize(join(dist, path === '/' ? 'index.html' : path));
  if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const url = `http://127.0.0.1:${server.address().port}/${backend ? `?backend=${backend}` : ''}`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const profile = mkdtempSync(join(tmpdir(), 'descent-defaults-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  args: [
    '--headless=new',
    '--no-sandbox',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-unsafe-webgpu',
  ],
  viewport: { width, height: 800 },
});
const page = context.pages()[0] ?? (await context.newPage());
const scope = panel ? `[data-testid="${panel}"] ` : '';
console.log(`load average before ${load()}; ${cpus().length} × ${cpus()[0]?.model}`);
try {
  for (let round = 1; round <= rounds; round++) {
    await page.goto(`${url}#/${pageId}`);
    await page.waitForSelector('#app[data-ready="true"]', { timeout: 60_000 });
    const running = await page.evaluate(() => window.__descent.backend());
    const started = performance.now();
    await page.click(`${scope}[data-testid="start"]`);
    await page.waitForSelector(`${scope}.run-controls[data-state="done"]`, { timeout: 600_000 });
    const wall = (performance.now() - started) / 1000;
    const values = [];
    for (const id of reads)
      values.push(`${id} ${await page.getAttribute(`[data-testid="${id}"]`, 'data-value')}`);
    if (shot) {
      const target = panel ? page.locator(`[data-testid="${panel}"]`) : page;
      await target.screenshot({ path: shot, ...(panel ? {} : { fullPage: true }) });
    }
    console.log(
      `round ${round} (${pageId}${panel ? `/${panel}` : ''} on ${running}): ${wall.toFixed(1)} s from click to finished; ${values.join(', ')}`,
    );
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  server.close();
}
console.log(`load average after ${load()}`);
