import { interpolateRdBu } from 'd3-scale-chromatic';

/** shap's colours: positive contributions red, negative blue (a pair that stays apart for red–green colour blindness). */
export const POSITIVE = '#ff0051';
/** The colour of negative contributions (blue). */
export const NEGATIVE = '#008bfb';
export const NEUTRAL = '#999999';

type Rgb = [number, number, number];

function hexToRgb(hex: string): Rgb {
  const h = hex.replace('#', '');
  return [0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16)) as Rgb;
}

export function parseColor(color: string): Rgb {
  if (color.startsWith('#')) return hexToRgb(color);
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(color);
  if (!m) throw new Error(`unknown colour ${color}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function rgbToHex([r, g, b]: Rgb): string {
  return `#${[r, g, b]
    .map((v) =>
      Math.round(Math.min(255, Math.max(0, v)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

const toLinear = (c: number) => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};
const fromLinear = (v: number) => 255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);

/** sRGB (0–255) to CIE Lab (D65). */
export function rgbToLab(rgb: Rgb): Rgb {
  const [r, g, b] = rgb.map(toLinear);
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

function labToRgb([L, a, b]: Rgb): Rgb {
  const fy = (L + 16) / 116;
  const fx = fy + a / 500;
  const fz = fy - b / 200;
  const inv = (t: number) => (t ** 3 > 216 / 24389 ? t ** 3 : (116 * t - 16) / (24389 / 27));
  const x = inv(fx) * 0.95047;
  const y = inv(fy);
  const z = inv(fz) * 1.08883;
  const r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
  const g = -0.969266 * x + 1.8760108 * y + 0.041556 * z;
  const bb = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
  return [fromLinear(r), fromLinear(g), fromLinear(bb)];
}

const BLUE_LAB = rgbToLab(hexToRgb(NEGATIVE));
const RED_LAB = rgbToLab(hexToRgb(POSITIVE));

/** shap's feature-value map: blue (low) to red (high) through purple, interpolated in Lab. t in [0, 1]; NaN is grey. */
export function featureValueColor(t: number): string {
  if (!Number.isFinite(t)) return NEUTRAL;
  const u = Math.min(1, Math.max(0, t));
  return rgbToHex(labToRgb(BLUE_LAB.map((v, i) => v + (RED_LAB[i] - v) * u) as Rgb));
}

/** Diverging map for signed values, t in [−1, 1]: blue (negative) – white – red (positive); ColorBrewer RdBu. */
export function divergingColor(t: number): string {
  const u = Math.min(1, Math.max(-1, Number.isFinite(t) ? t : 0));
  return rgbToHex(parseColor(interpolateRdBu((1 - u) / 2)));
}

/** Machado, Oliveira & Fernandes (2009) full-severity simulation matrices, applied in linear RGB. */
const CVD: Record<'protanopia' | 'deuteranopia' | 'tritanopia', number[]> = {
  protanopia: [0.152286, 1.052583, -0.204868, 0.114503, 0.786281, 0.099216, -0.003882, -0.048116, 1.051998],
  deuteranopia: [0.367322, 0.860646, -0.227968, 0.280085, 0.672501, 0.047413, -0.01182, 0.04294, 0.968881],
  tritanopia: [1.255528, -0.076749, -0.178779, -0.078411, 0.930809, 0.147602, 0.004733, 0.691367, 0.3039],
};

/** How a colour looks with a colour-vision deficiency (used to check the maps stay readable). */
export function simulateColorBlindness(color: string, kind: keyof typeof CVD): string {
  const [r, g, b] = parseColor(color).map(toLinear);
  const m = CVD[kind];
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return rgbToHex([
    fromLinear(clamp(m[0] * r + m[1] * g + m[2] * b)),
    fromLinear(clamp(m[3] * r + m[4] * g + m[5] * b)),
    fromLinear(clamp(m[6] * r + m[7] * g + m[8] * b)),
  ]);
}

/** CIE76 colour difference. */
export function deltaE(a: string, b: string): number {
  const la = rgbToLab(parseColor(a));
  const lb = rgbToLab(parseColor(b));
  return Math.hypot(la[0] - lb[0], la[1] - lb[1], la[2] - lb[2]);
}
