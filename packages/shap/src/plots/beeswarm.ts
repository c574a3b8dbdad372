import { quantileSorted } from 'd3-array';
import type { Explanation, ExplanationInit } from '../explanation.js';
import { checkMaxDisplay, toExplanation } from './checks.js';
import { featureValueColor, NEUTRAL } from './colors.js';
import { esc, fmt, n, type SvgOptions, svgOpen, text, textWidth, xAxis } from './svg.js';

/** One dot of the beeswarm plot: an explained row's SHAP value for a feature. */
export interface BeeswarmPoint {
  row: number;
  /** SHAP value (the x position). */
  value: number;
  /** The feature's value in this row (NaN when unknown or for the folded row). */
  featureValue: number;
  /** Position on the colour scale, 0 (low) to 1 (high), from the 5th–95th percentiles; NaN when unknown. */
  color: number;
  /** Vertical offset within the feature's lane, in lane heights, within ±0.4 (a deterministic swarm). */
  offset: number;
}

/** One feature's row of the beeswarm plot: its name, mean |SHAP value| and points. */
export interface BeeswarmRow {
  name: string;
  /** Feature index, −1 for the folded remainder. */
  feature: number;
  meanAbs: number;
  points: BeeswarmPoint[];
}

/** The beeswarm plot's data: one row of points per feature, and the x range. */
export interface BeeswarmPlotData {
  /** Top to bottom: largest mean |φ| first. */
  rows: BeeswarmRow[];
  /** Range of all SHAP values shown. */
  xDomain: [number, number];
  xLabel: string;
  colorLabel: string;
}

function colorRange(values: number[]): [number, number] {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return [Number.NaN, Number.NaN];
  let lo = quantileSorted(v, 0.05)!;
  let hi = quantileSorted(v, 0.95)!;
  if (lo === hi) {
    lo = quantileSorted(v, 0.01)!;
    hi = quantileSorted(v, 0.99)!;
  }
  if (lo === hi) {
    lo = v[0];
    hi = v[v.length - 1];
  }
  return [lo, hi];
}

/** Stacks points that fall in the same one-of-100 bin of SHAP value alternately above and below the lane centre. */
function swarm(values: number[]): number[] {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const bins = values.map((v) => Math.round((100 * (v - min)) / (max - min + 1e-8)));
  const order = values.map((_, i) => i).sort((a, b) => bins[a] - bins[b] || a - b);
  const ys = new Array<number>(values.length).fill(0);
  let layer = 0;
  let last = -1;
  for (const i of order) {
    if (bins[i] !== last) layer = 0;
    ys[i] = Math.ceil(layer / 2) * ((layer % 2) * 2 - 1);
    layer++;
    last = bins[i];
  }
  const top = Math.max(...ys.map((y) => Math.abs(y) + 1));
  return ys.map((y) => (0.4 * 0.9 * y) / top);
}

/** One dot per row and feature, features by mean |φ|; beyond maxDisplay − 1 features the rest are summed per row. */
export function beeswarmPlotData(
  input: Explanation | ExplanationInit,
  options: { maxDisplay?: number } = {},
): BeeswarmPlotData {
  const e = toExplanation(input);
  const maxDisplay = checkMaxDisplay(options.maxDisplay);
  const mean = e.meanAbs();
  const order = mean.map((_, j) => j).sort((a, b) => mean[b] - mean[a] || a - b);
  const shown = order.length > maxDisplay ? order.slice(0, maxDisplay - 1) : order;
  const rest = order.slice(shown.length);
  const rows: BeeswarmRow[] = shown.map((j) => {
    const values = e.values.map((r) => r[j]);
    const fv = e.data.map((r) => r[j]);
    const [lo, hi] = colorRange(fv);
    const offsets = swarm(values);
    return {
      name: e.featureNames[j],
      feature: j,
      meanAbs: mean[j],
      points: values.map((value, row) => ({
        row,
        value,
        featureValue: fv[row],
        color:
          Number.isFinite(fv[row]) && Number.isFinite(lo)
            ? hi > lo
              ? Math.min(1, Math.max(0, (fv[row] - lo) / (hi - lo)))
              : 0.5
            : Number.NaN,
        offset: offsets[row],
      })),
    };
  });
  if (rest.length > 0) {
    const values = e.values.map((r) => rest.reduce((s, j) => s + r[j], 0));
    const offsets = swarm(values);
    rows.push({
      name: `Sum of ${rest.length} other features`,
      feature: -1,
      meanAbs: rest.reduce((s, j) => s + mean[j], 0),
      points: values.map((value, row) => ({
        row,
        value,
        featureValue: Number.NaN,
        color: Number.NaN,
        offset: offsets[row],
      })),
    });
  }
  const all = rows.flatMap((r) => r.points.map((p) => p.value));
  return {
    rows,
    xDomain: [Math.min(0, ...all), Math.max(0, ...all)],
    xLabel: 'SHAP value (impact on model output)',
    colorLabel: 'Feature value',
  };
}

/** Options of the beeswarm plot: the SVG options, how many features to show, and the values' display text. */
export interface BeeswarmPlotOptions extends SvgOptions {
  maxDisplay?: number;
  /**
   * The text of each explained row's feature values, `displayData[row][feature]`, shown in the
   * tooltips instead of the number the model saw (e.g. `Adelie` for a category coded 0), as
   * shap's `display_data` does.
   */
  displayData?: readonly (readonly string[])[];
}

/** The beeswarm plot as an SVG string, with a Low–High colour bar for the feature value. */
export function beeswarmPlot(
  explanation: Explanation | ExplanationInit,
  options: BeeswarmPlotOptions = {},
): string {
  const data = beeswarmPlotData(explanation, options);
  const fs = options.fontSize ?? 12;
  const width = options.width ?? 720;
  const rowH = Math.max(30, fs * 2.6);
  const labelW = Math.max(...data.rows.map((r) => textWidth(r.name, fs))) + 16;
  const legendW = 70;
  const top = options.title ? 36 : 14;
  const plotH = rowH * data.rows.length;
  const height = top + plotH + 60;
  const x0 = labelW;
  const x1 = width - legendW;
  const axis = xAxis(data.xDomain, x0, x1, top + plotH + 4, data.xLabel, fs);
  let svg = svgOpen(width, height, options, 'SHAP beeswarm plot');
  if (options.title)
    svg += text(
      width / 2,
      22,
      options.title,
      `text-anchor="middle" font-size="${fs + 3}" font-weight="bold"`,
    );
  const zero = axis.scale(0);
  svg += `<line x1="${n(zero)}" y1="${n(top)}" x2="${n(zero)}" y2="${n(top + plotH)}" stroke="#bbb"/>`;
  const r = Math.max(2, Math.min(4, rowH / 10));
  data.rows.forEach((row, i) => {
    const cy = top + (i + 0.5) * rowH;
    svg += `<line x1="${n(x0)}" y1="${n(cy)}" x2="${n(x1)}" y2="${n(cy)}" stroke="#eee" stroke-dasharray="2,3"/>`;
    svg += text(
      x0 - 8,
      cy + fs * 0.35,
      row.name,
      `text-anchor="end" fill="${row.feature < 0 ? '#666' : '#111'}"`,
    );
    for (const p of row.points) {
      const fill = Number.isFinite(p.color) ? featureValueColor(p.color) : NEUTRAL;
      svg += `<circle cx="${n(axis.scale(p.value))}" cy="${n(cy + p.offset * rowH)}" r="${n(r)}" fill="${fill}" fill-opacity="0.85"><title>${esc(`${row.name} = ${(row.feature >= 0 ? options.displayData?.[p.row]?.[row.feature] : undefined) ?? fmt(p.featureValue)}: ${fmt(p.value, true)}`)}</title></circle>`;
    }
  });
  // Colour bar: low (blue) at the bottom, high (red) at the top.
  const barX = x1 + 22;
  const barTop = top + 8;
  const barH = Math.max(60, plotH - 16);
  svg += '<defs><linearGradient id="shap-feature-value" x1="0" y1="1" x2="0" y2="0">';
  for (let k = 0; k <= 10; k++) svg += `<stop offset="${k / 10}" stop-color="${featureValueColor(k / 10)}"/>`;
  svg += '</linearGradient></defs>';
  svg += `<rect x="${n(barX)}" y="${n(barTop)}" width="8" height="${n(barH)}" fill="url(#shap-feature-value)"/>`;
  svg += text(barX + 4, barTop - 2, 'High', `text-anchor="middle" font-size="${fs - 1}"`);
  svg += text(barX + 4, barTop + barH + fs, 'Low', `text-anchor="middle" font-size="${fs - 1}"`);
  svg += text(
    barX + 22,
    barTop + barH / 2,
    data.colorLabel,
    `text-anchor="middle" transform="rotate(-90 ${n(barX + 22)} ${n(barTop + barH / 2)})"`,
  );
  return `${svg}${axis.svg}</svg>`;
}
