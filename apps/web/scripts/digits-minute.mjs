// "Train your model in less than a minute", in the browser: the digits page's default run on the
// backend `auto` picks, in Debian's Chromium with WebGPU enabled (on a machine without a GPU that
// is SwiftShader's software adapter, so auto must pick WASM). Timed from the Start click to the
// end of the last held-out evaluation, as the page's own Elapsed readout counts it, and by the
// wall clock here. Several rounds, one seed each; prints each round, the median and a markdown
// row for bench/RESULTS.md. Needs the built app (pnpm build):
//   node apps/web/scripts/digits-minute.mjs [--rounds 3]
// The e2e suite asserts the accuracy of the same default run; the timing lives here because a
// timed test on a shared machine fails for reasons that are not the code's.
import { cpus } from 'node:os';
import { load, openBuiltApp } from './built-app-browser.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const rounds = arg('--rounds', 3);

const app = await openBuiltApp({ width: 1280, profilePrefix: 'descent-minute-' });
const { page } = app;
const url = app.url;
const loadBefore = load();
const results = [];
try {
  for (let round = 1; round <= rounds; round++) {
    await page.goto(`${url}#/digits`);
    await page.waitForFunction(() => window.__descent?.ready === true, null, { timeout: 60_000 });
    await page.waitForSelector('#app[data-ready="true"]');
    const backend = await page.evaluate(() => window.__descent.backend());
    await page.fill('[data-testid="seed"]', String(round));
    await page.dispatchEvent('[data-testid="seed"]', 'change');
    const started = performance.now();
    await page.click('[data-testid="start"]');
    await page.waitForSelector('.run-controls[data-state="done"]', { timeout: 600_000 });
    const wall = (performance.now() - started) / 1000;
    const read = (id) => page.getAttribute(`[data-testid="${id}"]`, 'data-value').then(Number);
    const r = {
      round,
      backend,
      accuracy: await read('accuracy'),
      elapsed: await read('elapsed'),
      imagesPerSecond: await read('images-per-second'),
      wall,
      summary: await page.textContent('[data-testid="summary"]'),
    };
    results.push(r);
    console.log(
      `round ${round} (seed ${round}, ${backend}): ${(r.accuracy * 100).toFixed(2)} % held out, page elapsed ${r.elapsed.toFixed(1)} s, wall from click ${wall.toFixed(1)} s, ${Math.round(r.imagesPerSecond)} images/s`,
    );
  }
} finally {
  await app.close();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wallMedian = median(results.map((r) => r.wall));
const accMin = Math.min(...results.map((r) => r.accuracy));
console.log(
  `\nmedian wall ${wallMedian.toFixed(1)} s, median ${Math.round(median(results.map((r) => r.imagesPerSecond)))} images/s, lowest accuracy ${(accMin * 100).toFixed(2)} %; goal ${accMin >= 0.97 && results.every((r) => r.wall < 60) ? 'met' : 'NOT met'} (>= 97 % in < 60 s, every round)`,
);
console.log(`load average before ${loadBefore}, after ${load()}; ${cpus().length} × ${cpus()[0]?.model}`);
console.log('\nmarkdown row:');
console.log(
  `| ${new Date().toISOString().slice(0, 16)} | ${results[0]?.backend} | ${results.map((r) => r.wall.toFixed(1)).join(' / ')} s | ${results.map((r) => (r.accuracy * 100).toFixed(1)).join(' / ')} % | ${Math.round(median(results.map((r) => r.imagesPerSecond)))} | ${loadBefore} → ${load()} |`,
);
