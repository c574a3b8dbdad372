import type { Explanation, ExplanationInit } from '../explanation.js';
import { checkMaxDisplay, toExplanation } from './checks.js';
import { POSITIVE } from './colors.js';
import { esc, fmt, n, type SvgOptions, svgOpen, text, textWidth, xAxis } from './svg.js';

/** One bar of the bar plot: a feature and its mean |SHAP value|. */
export interface BarDatum {
  /** Feature name, or "Sum of N other features". */
  name: string;
  /** Feature index, −1 for the folded remainder. */
  feature: number;
  /** Mean |SHAP value| over the rows (summed over the folded features). */
  value: number;
}

/** The bar plot's data: the bars, top to bottom, and the x-axis label. */
export interface BarPlotData {
  bars: BarDatum[];
  xLabel: string;
}

/** Global importance: mean |φ| per feature, largest first; beyond maxDisplay − 1 features the rest are summed. */
export function barPlotData(
  input: Explanation | ExplanationInit,
  options: { maxDisplay?: number } = {},
): BarPlotData {
  const explanation = toExplanation(input);
  const maxDisplay = checkMaxDisplay(options.maxDisplay);
  const mean = explanation.meanAbs();
  const order = mean.map((_, j) => j).sort((a, b) => mean[b] - mean[a] || a - b);
  const shown = order.length > maxDisplay ? order.slice(0, maxDisplay - 1) : order;
  const bars: BarDatum[] = shown.map((j) => ({
    name: explanation.featureNames[j],
    feature: j,
    value: mean[j],
  }));
  const rest = order.slice(shown.length);
  if (rest.length > 0) {
    bars.push({
      name: `Sum of ${rest.length} other features`,
      feature: -1,
      value: rest.reduce((s, j) => s + mean[j], 0),
    });
  }
  return { bars, xLabel: 'mean(|SHAP value|) (average impact on model output magnitude)' };
}

/** Options of the bar plot: the SVG options and how many features to show. */
export interface BarPlotOptions extends SvgOptions {
  maxDisplay?: number;
}

/** The bar plot as an SVG string. */
export function barPlot(explanation: Explanation | ExplanationInit, options: BarPlotOptions = {}): string {
  const data = barPlotData(explanation, options);
  const fs = options.fontSize ?? 12;
  const width = options.width ?? 640;
  const rowH = Math.max(24, fs * 2);
  const labelW = Math.max(...data.bars.map((b) => textWidth(b.name, fs))) + 16;
  const valueW = textWidth('+0.000', fs) + 8;
  const top = options.title ? 36 : 14;
  const plotH = rowH * data.bars.length;
  const height = top + plotH + 56;
  const x0 = labelW;
  const x1 = width - valueW;
  const max = Math.max(...data.bars.map((b) => b.value), 1e-12);
  const axis = xAxis([0, max], x0, x1, top + plotH + 4, data.xLabel, fs);
  let svg = svgOpen(width, height, options, 'SHAP bar plot: mean |SHAP value| per feature');
  if (options.title)
    svg += text(
      width / 2,
      22,
      options.title,
      `text-anchor="middle" font-size="${fs + 3}" font-weight="bold"`,
    );
  data.bars.forEach((b, i) => {
    const y = top + i * rowH;
    const w = Math.max(0, axis.scale(b.value) - x0);
    svg += text(
      x0 - 8,
      y + rowH / 2 + fs * 0.35,
      b.name,
      `text-anchor="end" fill="${b.feature < 0 ? '#666' : '#111'}"`,
    );
    svg += `<rect x="${n(x0)}" y="${n(y + rowH * 0.15)}" width="${n(w)}" height="${n(rowH * 0.7)}" fill="${POSITIVE}"><title>${esc(`${b.name}: ${fmt(b.value)}`)}</title></rect>`;
    svg += text(x0 + w + 4, y + rowH / 2 + fs * 0.35, `+${fmt(b.value)}`, `fill="${POSITIVE}"`);
  });
  return `${svg}${axis.svg}</svg>`;
}
