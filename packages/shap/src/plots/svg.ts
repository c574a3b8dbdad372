import { scaleLinear } from 'd3-scale';

/** Options every plot takes: its width, title and font. */
export interface SvgOptions {
  /** Total width in px. */
  width?: number;
  title?: string;
  fontFamily?: string;
  fontSize?: number;
}

export const FONT = 'Helvetica, Arial, sans-serif';

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Compact number: 3 significant digits, no exponent for ordinary magnitudes. */
export function fmt(v: number, signed = false): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  let s: string;
  if (a === 0) s = '0';
  else if (a >= 1e5 || a < 1e-3) s = v.toExponential(2);
  else s = String(Number(v.toPrecision(3)));
  if (signed && v > 0) s = `+${s}`;
  return s.replace('-', '−');
}

/** Rough text width (no DOM to measure with): average glyph ≈ 0.58 em for Helvetica-like fonts. */
export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.58;
}

export function n(v: number): string {
  return String(Math.round(v * 100) / 100);
}

export function svgOpen(width: number, height: number, options: SvgOptions, description: string): string {
  const font = esc(options.fontFamily ?? FONT);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" ` +
    `font-family="${font}" font-size="${options.fontSize ?? 12}" role="img">` +
    `<title>${esc(options.title ?? description)}</title>` +
    `<rect width="100%" height="100%" fill="#ffffff"/>`
  );
}

export function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${n(x)}" y="${n(y)}" ${attrs}>${esc(content)}</text>`;
}

/** A horizontal axis: line, nice ticks with labels, and a caption below. Returns the scale's ticks too. */
export function xAxis(
  domain: [number, number],
  x0: number,
  x1: number,
  y: number,
  caption: string,
  fontSize: number,
): { svg: string; scale: (v: number) => number } {
  const scale = scaleLinear().domain(domain).range([x0, x1]).nice();
  const ticks = scale.ticks(Math.max(2, Math.floor((x1 - x0) / 80)));
  const format = scale.tickFormat(ticks.length);
  let svg = `<line x1="${n(x0)}" y1="${n(y)}" x2="${n(x1)}" y2="${n(y)}" stroke="#333"/>`;
  for (const t of ticks) {
    const tx = scale(t);
    svg += `<line x1="${n(tx)}" y1="${n(y)}" x2="${n(tx)}" y2="${n(y + 5)}" stroke="#333"/>`;
    svg += text(tx, y + 7 + fontSize, format(t).replace('-', '−'), 'text-anchor="middle" fill="#333"');
  }
  svg += text((x0 + x1) / 2, y + 14 + 2 * fontSize, caption, 'text-anchor="middle" fill="#111"');
  return { svg, scale: (v: number) => scale(v) };
}
