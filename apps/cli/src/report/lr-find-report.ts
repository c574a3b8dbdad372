import type { LrFindResult } from '@descent/train';
import { escapeHtml, formatNumber } from './escape-html';
import { htmlPage } from './page';

const [W, H, PAD] = [720, 360, 48];

/**
 * The loss-vs-rate curve of `descent lr-find` as an SVG line, the rate on a log axis as fast.ai
 * plots it, with the suggested rate marked.
 */
export function lrFindSvg(r: LrFindResult): string {
  const logs = r.lrs.map(Math.log10);
  const [x0, x1] = [Math.min(...logs), Math.max(...logs)];
  // The blow-up at the end would flatten the rest: the axis stops a little above the first loss.
  const top = Math.min(Math.max(...r.losses), r.losses[0] * 1.5);
  const bottom = Math.min(...r.losses);
  const x = (lr: number) => PAD + ((Math.log10(lr) - x0) / (x1 - x0 || 1)) * (W - 2 * PAD);
  const y = (loss: number) =>
    H - PAD - ((Math.min(loss, top) - bottom) / (top - bottom || 1)) * (H - 2 * PAD);
  const points = r.lrs.map((lr, i) => `${x(lr).toFixed(1)},${y(r.losses[i]).toFixed(1)}`).join(' ');
  const ticks: string[] = [];
  for (let e = Math.ceil(x0); e <= Math.floor(x1); e++) {
    const tx = x(10 ** e).toFixed(1);
    ticks.push(
      `<line x1="${tx}" y1="${H - PAD}" x2="${tx}" y2="${H - PAD + 5}" stroke="#5b6472"/>` +
        `<text x="${tx}" y="${H - PAD + 20}" text-anchor="middle" font-size="12">1e${e}</text>`,
    );
  }
  const sx = x(r.suggested).toFixed(1);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="loss against learning rate">
<rect x="${PAD}" y="${PAD}" width="${W - 2 * PAD}" height="${H - 2 * PAD}" fill="none" stroke="#dde1e7"/>
${ticks.join('\n')}
<text x="${W / 2}" y="${H - 8}" text-anchor="middle" font-size="13">learning rate (log scale)</text>
<text x="14" y="${H / 2}" text-anchor="middle" font-size="13" transform="rotate(-90 14 ${H / 2})">smoothed loss</text>
<text x="${PAD - 6}" y="${PAD + 4}" text-anchor="end" font-size="12">${formatNumber(top)}</text>
<text x="${PAD - 6}" y="${H - PAD + 4}" text-anchor="end" font-size="12">${formatNumber(bottom)}</text>
<polyline points="${points}" fill="none" stroke="#008bfb" stroke-width="2"/>
<line x1="${sx}" y1="${PAD}" x2="${sx}" y2="${H - PAD}" stroke="#ff0051" stroke-dasharray="4 3"/>
<text x="${sx}" y="${PAD - 8}" text-anchor="middle" font-size="12" fill="#ff0051">suggested ${formatNumber(r.suggested)}</text>
</svg>`;
}

/** The HTML report of `descent lr-find`: what was swept, the curve, and how to read it. */
export function lrFindReport(r: LrFindResult, about: string): string {
  const body = `<h1>Learning-rate finder</h1>
<p class="subtitle">${escapeHtml(about)}</p>
<section>
<p class="lead">Suggested learning rate: <strong>${formatNumber(r.suggested)}</strong></p>
<div class="plot">${lrFindSvg(r)}</div>
<p class="how">The rate grew exponentially from ${formatNumber(r.lrs[0])} over ${r.lrs.length} batches
(${r.stopReason === 'diverged' ? 'stopped when the loss diverged' : 'every iteration taken'}), training a copy
of the weights that was then put back. The suggestion is where the smoothed loss falls fastest
(fast.ai's steepest-descent rule): a rate well below where the loss turns up.</p>
</section>`;
  return htmlPage('descent lr-find', body);
}
