import { argumentError } from '../errors.js';
import type { ImageExplanation } from '../image.js';
import { divergingColor } from './colors.js';
import { fmt, n, type SvgOptions, svgOpen, text } from './svg.js';

/** The image plot's data: the image in grey and its SHAP values to overlay. */
export interface ImagePlotData {
  width: number;
  height: number;
  /** The image in grey, 0 (black) to 1 (white), height × width (channels averaged, min–max scaled). */
  grey: Float64Array;
  /** Per-pixel SHAP values, height × width. */
  values: Float64Array;
  /** Symmetric colour range: values are shown on [−maxAbs, maxAbs]. */
  maxAbs: number;
  output: number;
  outputName: string;
  baseValue: number;
  outputValue: number;
}

/** The data behind the heatmap overlay. */
export function imagePlotData(result: ImageExplanation): ImagePlotData {
  if (!result || !(result.pixelValues instanceof Float64Array) || !(result.image instanceof Float64Array)) {
    throw argumentError('result', 'an explainImage() result', result);
  }
  const { width: W, height: H, channels: C } = result;
  const grey = new Float64Array(H * W);
  for (let i = 0; i < H * W; i++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += result.image[i * C + c];
    grey[i] = s / C;
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of grey) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  for (let i = 0; i < grey.length; i++) grey[i] = hi > lo ? (grey[i] - lo) / (hi - lo) : 0.5;
  let maxAbs = 0;
  for (const v of result.pixelValues) maxAbs = Math.max(maxAbs, Math.abs(v));
  return {
    width: W,
    height: H,
    grey,
    values: result.pixelValues,
    maxAbs,
    output: result.output,
    outputName: result.explanation.outputNames[result.output],
    baseValue: result.baseValue,
    outputValue: result.outputValue,
  };
}

/** Options of the image plot: the SVG options, the scale and how the image is drawn. */
export interface ImagePlotOptions extends SvgOptions {
  /** Pixels per image pixel. Default: the image fills about 280 px. */
  scale?: number;
  /**
   * Draw bright pixels as ink (for bright strokes on a dark background, like MNIST digits); otherwise dark pixels
   * are ink. Default: true when the image is mostly dark.
   */
  invert?: boolean;
}

/**
 * The SHAP values as a heatmap with the image drawn over it as translucent ink: red pushes the output up, blue
 * down (ColorBrewer RdBu, safe for colour blindness), opacity growing with |value|, and a colour bar.
 */
export function imagePlot(result: ImageExplanation, options: ImagePlotOptions = {}): string {
  const d = imagePlotData(result);
  const fs = options.fontSize ?? 12;
  const scale = options.scale ?? Math.max(1, Math.floor(280 / Math.max(d.width, d.height)));
  const imgW = d.width * scale;
  const imgH = d.height * scale;
  const left = 16;
  const top = 16 + (options.title ? fs + 14 : 0) + fs + 8;
  const barW = 12;
  const width = options.width ?? left + imgW + 110;
  const height = top + imgH + 44;
  let svg = svgOpen(width, height, options, 'SHAP image explanation');
  if (options.title)
    svg += text(
      width / 2,
      22,
      options.title,
      `text-anchor="middle" font-size="${fs + 3}" font-weight="bold"`,
    );
  svg += text(
    left,
    top - 10,
    `${d.outputName}: f(x) = ${fmt(d.outputValue)}, E[f] = ${fmt(d.baseValue)}`,
    'fill="#111"',
  );
  // Horizontal runs of equal pixels are merged into one rect.
  const runs = (value: (i: number) => string | null, opacity: (i: number) => number) => {
    let out = '';
    for (let y = 0; y < d.height; y++) {
      let x = 0;
      while (x < d.width) {
        const i = y * d.width + x;
        const fill = value(i);
        const op = opacity(i);
        let end = x + 1;
        while (end < d.width && value(y * d.width + end) === fill && opacity(y * d.width + end) === op) end++;
        if (fill !== null && op > 0) {
          out += `<rect x="${n(left + x * scale)}" y="${n(top + y * scale)}" width="${n((end - x) * scale)}" height="${n(scale)}" fill="${fill}"${op < 1 ? ` fill-opacity="${n(op)}"` : ''}/>`;
        }
        x = end;
      }
    }
    return out;
  };
  // The heatmap first (opacity grows with |value|), then the image on top as translucent ink, so both read.
  const m = d.maxAbs || 1;
  svg += runs(
    (i) => (d.values[i] === 0 ? null : divergingColor(d.values[i] / m)),
    (i) => Math.round((0.2 + 0.7 * Math.min(1, Math.abs(d.values[i]) / m)) * 100) / 100,
  );
  let meanGrey = 0;
  for (const g of d.grey) meanGrey += g / d.grey.length;
  const invert = options.invert ?? meanGrey < 0.5;
  svg += runs(
    () => '#000000',
    (i) => Math.round(0.45 * (invert ? d.grey[i] : 1 - d.grey[i]) * 20) / 20,
  );
  svg += `<rect x="${n(left)}" y="${n(top)}" width="${n(imgW)}" height="${n(imgH)}" fill="none" stroke="#666"/>`;
  // Colour bar: +maxAbs at the top, −maxAbs at the bottom.
  const bx = left + imgW + 18;
  svg += '<defs><linearGradient id="shap-diverging" x1="0" y1="1" x2="0" y2="0">';
  for (let k = 0; k <= 10; k++) svg += `<stop offset="${k / 10}" stop-color="${divergingColor(k / 5 - 1)}"/>`;
  svg += '</linearGradient></defs>';
  svg += `<rect x="${n(bx)}" y="${n(top)}" width="${barW}" height="${n(imgH)}" fill="url(#shap-diverging)" stroke="#666"/>`;
  svg += text(bx + barW + 4, top + fs * 0.8, fmt(m, true), `font-size="${fs - 1}"`);
  svg += text(bx + barW + 4, top + imgH / 2 + fs * 0.35, '0', `font-size="${fs - 1}"`);
  svg += text(bx + barW + 4, top + imgH, fmt(-m), `font-size="${fs - 1}"`);
  svg += text(
    bx + barW + 44,
    top + imgH / 2,
    'SHAP value',
    `text-anchor="middle" transform="rotate(-90 ${n(bx + barW + 44)} ${n(top + imgH / 2)})"`,
  );
  svg += text(
    left,
    top + imgH + 18,
    'red: raises the output · blue: lowers it',
    `font-size="${fs - 1}" fill="#333"`,
  );
  return `${svg}</svg>`;
}
