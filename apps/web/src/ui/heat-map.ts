import { palette } from './charts';
import { h } from './dom';

/**
 * Heat maps on a canvas, as TensorFlow Playground draws them: orange for negative (class 0),
 * blue for positive (class 1), near-white at zero. A canvas of one pixel per grid cell, scaled
 * up by CSS with smoothing, redraws in well under a millisecond, so the boundary can follow
 * every frame of training.
 */

const NEGATIVE = hex(palette.orange);
const POSITIVE = hex(palette.blue);
const MIDDLE = [246, 246, 243];

function hex(colour: string): number[] {
  return [1, 3, 5].map((i) => Number.parseInt(colour.slice(i, i + 2), 16));
}

/** The colour of `v` on the scale [-1, 1] (clamped), as [r, g, b]. */
export function heatColour(v: number): number[] {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const end = t < 0 ? NEGATIVE : POSITIVE;
  const a = Math.abs(t);
  return MIDDLE.map((m, i) => Math.round(m + (end[i] - m) * a));
}

export function cssColour(v: number): string {
  const [r, g, b] = heatColour(v);
  return `rgb(${r}, ${g}, ${b})`;
}

/** A canvas holding `size` × `size` cells; `draw` paints one value per cell, row by row. */
export function heatCanvas(size: number, className = 'heat'): HTMLCanvasElement {
  const canvas = h('canvas', {
    class: className,
    attrs: { width: size, height: size, 'aria-hidden': 'true' },
  });
  return canvas;
}

/** Paints `values` (row-major, row 0 at the top) mapped from [lo, hi] onto the colour scale. */
export function drawHeat(canvas: HTMLCanvasElement, values: ArrayLike<number>, lo = -1, hi = 1): void {
  const size = canvas.width;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(size, canvas.height);
  const mid = (lo + hi) / 2;
  const half = (hi - lo) / 2 || 1;
  for (let i = 0; i < values.length && i < size * canvas.height; i++) {
    const [r, g, b] = heatColour((values[i] - mid) / half);
    image.data[4 * i] = r;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = b;
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

export interface MapPoint {
  /** Position in [0, 1]², (0, 0) at the top left. */
  u: number;
  v: number;
  /** Colour value on [-1, 1]. */
  value: number;
  /** Test points are drawn with a dark ring, training points with a white ring. */
  test: boolean;
  /** A colour of its own (a class of several), instead of the scale's colour for `value`. */
  colour?: string;
}

/** Draws points over a heat map on a transparent canvas of `px` × `px` pixels. */
export function drawPoints(canvas: HTMLCanvasElement, points: MapPoint[]): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const px = canvas.width;
  ctx.clearRect(0, 0, px, canvas.height);
  const r = Math.max(2.5, px / 110);
  for (const p of points) {
    ctx.beginPath();
    ctx.arc(p.u * px, p.v * canvas.height, r, 0, 2 * Math.PI);
    ctx.fillStyle = p.colour ?? cssColour(p.value);
    ctx.fill();
    ctx.lineWidth = p.test ? 1.6 : 1;
    ctx.strokeStyle = p.test ? '#111' : '#fff';
    ctx.stroke();
  }
}

/** The colour scale as a small legend: orange −1 … blue +1, with the given end labels. */
export function heatLegend(low: string, high: string): HTMLElement {
  const stops = [-1, -0.5, 0, 0.5, 1].map((v, i) => `${cssColour(v)} ${i * 25}%`).join(', ');
  return h(
    'div',
    { class: 'heat-legend' },
    h('span', { text: low }),
    h('span', {
      class: 'heat-legend-bar',
      style: { background: `linear-gradient(to right, ${stops})` },
      attrs: { 'aria-hidden': 'true' },
    }),
    h('span', { text: high }),
  );
}

/**
 * A boundary figure: the heat map, the points over it, a legend and a text summary. The figure
 * is role=img with a name; the summary says in words what the picture shows.
 */
export function boundaryFigure(options: { size: number; px: number; label: string; testId?: string }) {
  const heat = heatCanvas(options.size, 'boundary-heat');
  const dots = h('canvas', {
    class: 'boundary-points',
    attrs: { width: options.px, height: options.px, 'aria-hidden': 'true' },
  });
  const summary = h('p', { class: 'note chart-summary' });
  const summaryId = `${options.testId ?? 'boundary'}-summary`;
  summary.id = summaryId;
  const el = h(
    'figure',
    {
      class: 'boundary',
      attrs: {
        role: 'img',
        'aria-label': options.label,
        'aria-describedby': summaryId,
        ...(options.testId ? { 'data-testid': options.testId } : {}),
      },
    },
    h('div', { class: 'boundary-stack' }, heat, dots),
  );
  return { el, heat, dots, summary };
}
