import * as Plot from '@observablehq/plot';

/**
 * Okabe & Ito's palette: eight colours that stay distinct under the common colour-vision
 * deficiencies. Series also differ in dash or symbol, so colour is never the only cue.
 */
export const palette = {
  blue: '#0072B2',
  orange: '#E69F00',
  green: '#009E73',
  vermillion: '#D55E00',
  sky: '#56B4E9',
  purple: '#CC79A7',
  yellow: '#F0E442',
  black: '#000000',
} as const;

export const seriesColors = [
  palette.blue,
  palette.vermillion,
  palette.green,
  palette.orange,
  palette.purple,
  palette.sky,
  palette.black,
];
export const seriesDashes = ['', '6,3', '2,2', '8,3,2,3', '1,3', '10,4', ''];

export interface Series {
  name: string;
  points: { x: number; y: number }[];
  color?: string;
  dash?: string;
}

/** A legend of coloured, dashed line samples: series differ in dash as well as colour. */
export function legend(
  items: { name: string; color: string; dash?: string; symbol?: 'dot' | 'triangle' }[],
): HTMLElement {
  const box = document.createElement('div');
  box.className = 'legend';
  for (const item of items) {
    const entry = document.createElement('span');
    entry.className = 'legend-item';
    const sample =
      item.symbol === 'dot'
        ? `<circle cx="12" cy="6" r="5" fill="${item.color}"/>`
        : item.symbol === 'triangle'
          ? `<path d="M12 1 L17.5 11 L6.5 11 Z" fill="none" stroke="${item.color}" stroke-width="1.8"/>`
          : `<line x1="1" y1="6" x2="25" y2="6" stroke="${item.color}" stroke-width="3" stroke-dasharray="${item.dash ?? ''}"/>`;
    entry.innerHTML = `<svg width="26" height="12" aria-hidden="true">${sample}</svg>`;
    entry.append(item.name);
    box.append(entry);
  }
  return box;
}

/** A line chart of several series with a legend above it. */
export function lineChart(
  series: Series[],
  options: {
    x: string;
    y: string;
    logY?: boolean;
    width?: number;
    height?: number;
    yDomain?: [number, number];
  },
): HTMLElement {
  const color = (i: number) => series[i].color ?? seriesColors[i % seriesColors.length];
  const dash = (i: number) => series[i].dash ?? seriesDashes[i % seriesDashes.length];
  const marks: Plot.Markish[] = [Plot.gridY({ strokeOpacity: 0.12 })];
  series.forEach((s, i) => {
    const data = s.points.filter((p) => Number.isFinite(p.y) && (!options.logY || p.y > 0));
    if (data.length === 0) return;
    marks.push(
      // Clipped to the frame when the y axis is fixed: a curve past it leaves by the edge.
      Plot.line(data, {
        x: 'x',
        y: 'y',
        stroke: color(i),
        strokeWidth: 2,
        strokeDasharray: dash(i),
        clip: options.yDomain !== undefined,
      }),
    );
  });
  // An accessible name and a one-line summary: each series' last value.
  const summary = series
    .filter((s) => s.points.length > 0)
    .map(
      (s) =>
        `${s.name}: ${shortNumber(s.points[s.points.length - 1].y)} at ${options.x} ${shortNumber(s.points[s.points.length - 1].x)}`,
    )
    .join('; ');
  const chart = Plot.plot({
    ariaLabel: `${options.y} against ${options.x}`,
    ariaDescription: summary || 'No data yet',
    width: options.width ?? 420,
    height: options.height ?? 240,
    marginLeft: 55,
    marginRight: 16,
    style: { fontSize: '12px', background: 'transparent' },
    x: { label: options.x, grid: false },
    y: {
      label: options.y,
      type: options.logY ? 'log' : 'linear',
      domain: options.yDomain,
      nice: true,
      tickFormat: options.logY ? (d: number) => shortNumber(d) : undefined,
    },
    marks,
  });
  const figure = document.createElement('figure');
  figure.className = 'chart';
  figure.append(legend(series.map((s, i) => ({ name: s.name, color: color(i), dash: dash(i) }))), chart);
  return figure;
}

/** Tick labels without SI prefixes ("0.2", not "200m"): learners read losses as plain numbers. */
export function shortNumber(d: number): string {
  if (d === 0) return '0';
  const abs = Math.abs(d);
  if (abs >= 1e4 || abs < 1e-3) return d.toExponential(0);
  return String(Number(d.toPrecision(2)));
}

/** Replaces a container's chart at most every `ms` milliseconds; `flush()` draws the last one now. */
export function throttledRender(container: HTMLElement, draw: () => Node | null, ms = 120) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  const render = () => {
    timer = undefined;
    last = performance.now();
    const node = draw();
    if (node) container.replaceChildren(node);
  };
  return {
    request() {
      if (timer !== undefined) return;
      const wait = Math.max(0, ms - (performance.now() - last));
      timer = setTimeout(render, wait);
    },
    flush() {
      if (timer !== undefined) clearTimeout(timer);
      render();
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
