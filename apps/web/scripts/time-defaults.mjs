// How long a page's default run takes in Debian's Chromium, from the Start click to "finished":
//   node apps/web/scripts/time-defaults.mjs --page descent --panel minibatch [--backend wasm] [--rounds 3]
// --backend picks it in the URL (webgpu here is SwiftShader's software adapter); without it the
// app's own auto choice runs. --panel names the data-testid of the panel whose Start is clicked
// (a page with two demos); without it the page's first. Prints each round's wall time, the
// readouts listed with --read (comma-separated test ids), and the load average; --shot FILE
// saves a screenshot of the panel (or page) after each round, --width sets the viewport's width.
// Needs the built app (pnpm build). A measurement, not a test: timings on a shared machine vary.
import { cpus } from 'node:os';
import { load, openBuiltApp } from './built-app-browser.mjs';

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

const app = await openBuiltApp({ width, profilePrefix: 'descent-defaults-' });
const { page } = app;
const url = `${app.url}${backend ? `?backend=${backend}` : ''}`;
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
  await app.close();
}
console.log(`load average after ${load()}`);
