import { argumentError } from '../errors.js';
import type { Explanation, ExplanationInit } from '../explanation.js';
import { checkMaxDisplay, toExplanation } from './checks.js';
import { NEGATIVE, POSITIVE } from './colors.js';
import { esc, fmt, n, type SvgOptions, svgOpen, text, textWidth, xAxis } from './svg.js';

/** One step of the waterfall plot: a feature's contribution to the row's output. */
export interface WaterfallStep {
  /** Feature name, or "N other features". */
  name: string;
  /** The y-axis label: "value = name" as shap writes it (just the name when the value is unknown). */
  label: string;
  /** Feature index, −1 for the folded remainder. */
  feature: number;
  featureValue: number;
  /** The SHAP value: the step's signed length. */
  value: number;
  /** Where the step starts and ends on the output axis (end − start = value). */
  start: number;
  end: number;
}

/** The waterfall plot's data: the base value, the output value and the steps between them. */
export interface WaterfallPlotData {
  /** E[f(X)] in link space: where the bottom step starts. */
  baseValue: number;
  /** f(x) in link space: where the top step ends. */
  outputValue: number;
  /** Top to bottom: largest |φ| first, the folded "N other features" last. */
  steps: WaterfallStep[];
}

/** One row's path from E[f(X)] to f(x), features sorted by |φ|; beyond maxDisplay − 1 features the rest are folded. */
export function waterfallPlotData(
  input: Explanation | ExplanationInit,
  row = 0,
  options: { maxDisplay?: number } = {},
): WaterfallPlotData {
  const e = toExplanation(input);
  if (!Number.isInteger(row) || row < 0 || row >= e.rows)
    throw argumentError('row', `an index in [0, ${e.rows})`, row);
  const maxDisplay = checkMaxDisplay(options.maxDisplay);
  const r = e.row(row);
  const order = r.values
    .map((_, j) => j)
    .sort((a, b) => Math.abs(r.values[b]) - Math.abs(r.values[a]) || a - b);
  const shown = order.length > maxDisplay ? order.slice(0, maxDisplay - 1) : order;
  const rest = order.slice(shown.length);
  const steps: WaterfallStep[] = shown.map((j) => ({
    name: r.featureNames[j],
    label: Number.isFinite(r.data[j]) ? `${fmt(r.data[j])} = ${r.featureNames[j]}` : r.featureNames[j],
    feature: j,
    featureValue: r.data[j],
    value: r.values[j],
    start: 0,
    end: 0,
  }));
  if (rest.length > 0) {
    const name = `${rest.length} other features`;
    steps.push({
      name,
      label: name,
      feature: -1,
      featureValue: Number.NaN,
      value: rest.reduce((s, j) => s + r.values[j], 0),
      start: 0,
      end: 0,
    });
  }
  let end = r.outputValue;
  for (const s of steps) {
    s.end = end;
    s.start = end - s.value;
    end = s.start;
  }
  return { baseValue: r.baseValue, outputValue: r.outputValue, steps };
}

/** Options of the waterfall plot: the SVG options and how many features to show. */
export interface WaterfallPlotOptions extends SvgOptions {
  maxDisplay?: number;
}

/** The waterfall plot of one row as an SVG string. */
export function waterfallPlot(
  explanation: Explanation | ExplanationInit,
  row = 0,
  options: WaterfallPlotOptions = {},
): string {
  const data = waterfallPlotData(explanation, row, options);
  const fs = options.fontSize ?? 12;
  const width = options.width ?? 720;
  const rowH = Math.max(26, fs * 2.2);
  const labelW = Math.max(...data.steps.map((s) => textWidth(s.label, fs))) + 16;
  const top = (options.title ? 36 : 10) + fs + 12;
  const plotH = rowH * data.steps.length;
  const height = top + plotH + fs + 70;
  const x0 = labelW;
  const x1 = width - 20;
  const ends = data.steps.flatMap((s) => [s.start, s.end]);
  let lo = Math.min(...ends);
  let hi = Math.max(...ends);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.08;
  lo -= pad;
  hi += pad;
  const axis = xAxis([lo, hi], x0, x1, top + plotH + 4, 'model output', fs);
  const sx = axis.scale;
  let svg = svgOpen(width, height, options, 'SHAP waterfall plot');
  if (options.title)
    svg += text(
      width / 2,
      22,
      options.title,
      `text-anchor="middle" font-size="${fs + 3}" font-weight="bold"`,
    );
  // f(x) marker above the top step, E[f(X)] marker below the axis.
  const fxX = sx(data.outputValue);
  svg += `<line x1="${n(fxX)}" y1="${n(top - 6)}" x2="${n(fxX)}" y2="${n(top + plotH)}" stroke="#999" stroke-dasharray="3,3"/>`;
  svg += text(fxX, top - 10, `f(x) = ${fmt(data.outputValue)}`, 'text-anchor="middle" fill="#111"');
  const bX = sx(data.baseValue);
  svg += `<line x1="${n(bX)}" y1="${n(top)}" x2="${n(bX)}" y2="${n(top + plotH + 4)}" stroke="#999" stroke-dasharray="3,3"/>`;
  svg += text(
    bX,
    top + plotH + 2 * fs + 40,
    `E[f(X)] = ${fmt(data.baseValue)}`,
    'text-anchor="middle" fill="#111"',
  );
  data.steps.forEach((s, i) => {
    const y = top + i * rowH;
    const a = sx(Math.min(s.start, s.end));
    const b = sx(Math.max(s.start, s.end));
    const w = Math.max(1, b - a);
    const colour = s.value >= 0 ? POSITIVE : NEGATIVE;
    const h = rowH * 0.7;
    const yTop = y + rowH * 0.15;
    const head = Math.min(w, h * 0.45);
    // An arrow pointing in the direction of the contribution.
    const path =
      s.value >= 0
        ? `M${n(a)},${n(yTop)} H${n(a + w - head)} L${n(a + w)},${n(yTop + h / 2)} L${n(a + w - head)},${n(yTop + h)} H${n(a)} Z`
        : `M${n(a + w)},${n(yTop)} H${n(a + head)} L${n(a)},${n(yTop + h / 2)} L${n(a + head)},${n(yTop + h)} H${n(a + w)} Z`;
    svg += `<path d="${path}" fill="${colour}"><title>${esc(`${s.label}: ${fmt(s.value, true)}`)}</title></path>`;
    svg += text(
      x0 - 8,
      y + rowH / 2 + fs * 0.35,
      s.label,
      `text-anchor="end" fill="${s.feature < 0 ? '#666' : '#111'}"`,
    );
    const label = fmt(s.value, true);
    const inside = textWidth(label, fs) + 6 < w;
    const tx = inside ? (a + b) / 2 : s.value >= 0 ? b + 4 : a - 4;
    const anchor = inside ? 'middle' : s.value >= 0 ? 'start' : 'end';
    svg += text(
      tx,
      y + rowH / 2 + fs * 0.35,
      label,
      `text-anchor="${anchor}" fill="${inside ? '#fff' : colour}" font-weight="bold"`,
    );
    if (i + 1 < data.steps.length) {
      svg += `<line x1="${n(sx(s.start))}" y1="${n(yTop + h)}" x2="${n(sx(s.start))}" y2="${n(y + rowH + rowH * 0.15)}" stroke="#bbb"/>`;
    }
  });
  return `${svg}${axis.svg}</svg>`;
}
