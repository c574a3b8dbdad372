import { escapeHtml } from './escape-html';

/** Class probabilities as horizontal bars, the predicted class drawn darker and in bold. */
export function probabilityBars(names: string[], probabilities: number[], { width = 300 } = {}): string {
  const rowH = 24;
  const labelW = Math.max(40, ...names.map((n) => n.length * 8 + 12));
  const valueW = 52;
  const plotW = width - labelW - valueW;
  const best = probabilities.indexOf(Math.max(...probabilities));
  const height = rowH * names.length + 8;
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="13" role="img"><title>class probabilities</title>`;
  names.forEach((name, k) => {
    const y = 4 + k * rowH;
    const p = probabilities[k];
    const w = Math.max(0, Math.min(1, p)) * plotW;
    const strong = k === best ? ' font-weight="bold"' : '';
    svg += `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end" fill="#111"${strong}>${escapeHtml(name)}</text>`;
    svg += `<rect x="${labelW}" y="${y + 3}" width="${plotW}" height="${rowH - 6}" fill="#eef1f5"/>`;
    svg += `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(2)}" height="${rowH - 6}" fill="${k === best ? '#3a4a6b' : '#9aa7bd'}"/>`;
    svg += `<text x="${labelW + plotW + 6}" y="${y + 16}" fill="#111"${strong}>${p >= 0.001 ? p.toFixed(3) : '&lt;0.001'}</text>`;
  });
  return `${svg}</svg>`;
}
