import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Explanation } from '../explanation.js';
import { explainImage } from '../image.js';
import { KernelExplainer } from '../kernel.js';
import type { Matrix } from '../matrix.js';
import { randomRows } from '../test-helpers.js';
import { barPlot, barPlotData } from './bar.js';
import { beeswarmPlot, beeswarmPlotData } from './beeswarm.js';
import {
  deltaE,
  divergingColor,
  featureValueColor,
  NEGATIVE,
  POSITIVE,
  simulateColorBlindness,
} from './colors.js';
import { imagePlot, imagePlotData } from './image-plot.js';
import { waterfallPlot, waterfallPlotData } from './waterfall.js';

/** Tag balance and escaping: enough to catch malformed SVG without a DOM. */
function expectWellFormed(svg: string) {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)([^>]*?)(\/?)>/g)) {
    const [, close, name, , self] = m;
    if (self) continue;
    if (close) expect(stack.pop()).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
  const textOnly = svg.replace(/<[^>]*>/g, '');
  expect(textOnly).not.toMatch(/&(?!amp;|lt;|gt;|quot;)/);
}

const names = [
  'age',
  'income',
  'BMI & weight',
  'blood pressure',
  'x4',
  'x5',
  'x6',
  'x7',
  'x8',
  'x9',
  'x10',
  'x11',
  'x12',
];
const M = names.length;
const w = [3, -2, 1.5, 1, 0.5, -0.4, 0.3, 0.2, -0.1, 0.05, 0.04, 0.03, 0.02];
const model = (X: Matrix) =>
  Float64Array.from({ length: X.rows }, (_, i) => {
    let s = 0.5 * X.data[i * M] * X.data[i * M + 1];
    for (let j = 0; j < M; j++) s += w[j] * X.data[i * M + j];
    return s;
  });
const outDir = join(tmpdir(), 'descent-shap-plots');

let cached: Promise<Explanation> | undefined;
function sampleExplanation() {
  cached ??= new KernelExplainer(model, randomRows(10, M, 91), {
    featureNames: names,
    nsamples: 120,
  }).explain(randomRows(60, M, 92));
  return cached;
}

describe('plots', () => {
  it('bar data: mean |φ| sorted, the rest folded; the SVG is well formed', async () => {
    const e = await sampleExplanation();
    const d = barPlotData(e, { maxDisplay: 5 });
    expect(d.bars).toHaveLength(5);
    expect(d.bars[0].name).toBe('age');
    for (let i = 1; i < 4; i++) expect(d.bars[i].value).toBeLessThanOrEqual(d.bars[i - 1].value);
    const mean = e.meanAbs();
    expect(d.bars[4]).toEqual({ name: 'Sum of 9 other features', feature: -1, value: expect.any(Number) });
    const total = mean.reduce((a, b) => a + b, 0);
    expect(d.bars.reduce((s, b) => s + b.value, 0)).toBeCloseTo(total, 12);
    const svg = barPlot(e, { title: 'Global importance' });
    expectWellFormed(svg);
    expect(svg).toContain('BMI &amp; weight');
    expect(svg).toContain('mean(|SHAP value|)');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'bar.svg'), svg);
  });

  it('beeswarm data: one point per row and feature, colours from feature values, offsets within the lane', async () => {
    const e = await sampleExplanation();
    const d = beeswarmPlotData(e);
    expect(d.rows).toHaveLength(10);
    expect(d.rows[9].name).toBe('Sum of 4 other features');
    for (const row of d.rows.slice(0, 9)) {
      expect(row.points).toHaveLength(60);
      for (const p of row.points) {
        expect(Math.abs(p.offset)).toBeLessThanOrEqual(0.4);
        expect(p.color).toBeGreaterThanOrEqual(0);
        expect(p.color).toBeLessThanOrEqual(1);
        expect(p.value).toBe(e.values[p.row][row.feature]);
      }
      // Higher feature value → colour at least as high.
      const pts = [...row.points].sort((a, b) => a.featureValue - b.featureValue);
      for (let i = 1; i < pts.length; i++) expect(pts[i].color).toBeGreaterThanOrEqual(pts[i - 1].color);
    }
    // For age (weight 3, positive), high values push the output up: colour and SHAP value rise together.
    const age = d.rows.find((r) => r.name === 'age')!;
    const hi = age.points.filter((p) => p.color > 0.8);
    const lo = age.points.filter((p) => p.color < 0.2);
    expect(Math.min(...hi.map((p) => p.value))).toBeGreaterThan(Math.max(...lo.map((p) => p.value)));
    const svg = beeswarmPlot(e, { title: 'Beeswarm' });
    expectWellFormed(svg);
    expect(svg).toContain('Feature value');
    expect(svg).toContain('High');
    expect((svg.match(/<circle/g) ?? []).length).toBe(600);
    writeFileSync(join(outDir, 'beeswarm.svg'), svg);
    // displayData: the tooltips show the text of a value (a category's name), not its code.
    const names = e.featureNames;
    const text = Array.from({ length: e.rows }, (_, r) => names.map((name) => `${name}#${r}`));
    const labelled = beeswarmPlot(e, { displayData: text });
    expect(labelled).toContain(`<title>age = age#0:`);
    expect(labelled).not.toMatch(/<title>age = [-\d]/);
  });

  it('waterfall data: from E[f(X)] to f(x), largest |φ| on top, others folded', async () => {
    const e = await sampleExplanation();
    const d = waterfallPlotData(e, 3, { maxDisplay: 6 });
    expect(d.steps).toHaveLength(6);
    expect(d.steps[5].name).toBe('8 other features');
    expect(d.steps[0].end).toBeCloseTo(d.outputValue, 12);
    expect(d.steps[5].start).toBeCloseTo(d.baseValue, 9);
    for (let i = 1; i < 5; i++)
      expect(Math.abs(d.steps[i].value)).toBeLessThanOrEqual(Math.abs(d.steps[i - 1].value));
    for (let i = 1; i < 6; i++) expect(d.steps[i].end).toBe(d.steps[i - 1].start);
    expect(d.outputValue).toBeCloseTo(model({ data: Float64Array.from(e.data[3]), rows: 1, cols: M })[0], 9);
    expect(d.steps[0].label).toMatch(/^−?[\d.]+ = /);
    const svg = waterfallPlot(e, 3, { maxDisplay: 6 });
    expectWellFormed(svg);
    expect(svg).toContain('f(x) =');
    expect(svg).toContain('E[f(X)] =');
    writeFileSync(join(outDir, 'waterfall.svg'), svg);
    expect(() => waterfallPlotData(e, 60)).toThrow('row: expected an index in [0, 60), found 60');
  });

  it('image heatmap: grey image, per-pixel values, symmetric colour range', async () => {
    const img = new Float64Array(28 * 28);
    for (let y = 4; y < 24; y++) for (let x = 11; x < 17; x++) img[y * 28 + x] = 1;
    for (let x = 8; x < 20; x++) img[22 * 28 + x] = 1;
    // "Is it a one?": bright centre column raises, bright pixels away from it lower.
    const f = (X: Matrix) =>
      Float64Array.from({ length: X.rows }, (_, r) => {
        let s = 0;
        for (let i = 0; i < 784; i++)
          s += X.data[r * 784 + i] * (Math.abs((i % 28) - 13.5) < 3 ? 0.02 : -0.03);
        return s;
      });
    const res = await explainImage(
      f,
      { data: img, height: 28, width: 28 },
      { baseline: 'zero', nsamples: 500 },
    );
    const d = imagePlotData(res);
    expect(d.grey[4 * 28 + 12]).toBe(1);
    expect(d.grey[0]).toBe(0);
    expect(d.maxAbs).toBe(Math.max(...Array.from(res.values, Math.abs)));
    const svg = imagePlot(res, { title: 'Why a one?' });
    expectWellFormed(svg);
    expect(svg).toContain('SHAP value');
    writeFileSync(join(outDir, 'image.svg'), svg);
  });

  it('accepts an Explanation in JSON form and rejects other things', () => {
    const e = new Explanation({ values: [[1, -2]], baseValues: 0, featureNames: ['a', 'b'] });
    expect(barPlotData(JSON.parse(JSON.stringify(e))).bars.map((b) => b.name)).toEqual(['b', 'a']);
    expect(() => barPlotData({} as Explanation)).toThrow(
      'explanation: expected an Explanation (or its JSON form)',
    );
    expect(() => barPlotData(e, { maxDisplay: 0 })).toThrow(
      'maxDisplay: expected a positive integer, found 0',
    );
  });
});

describe('colour scales', () => {
  const kinds = ['protanopia', 'deuteranopia', 'tritanopia'] as const;
  it('keep low and high feature values apart under each colour-vision deficiency', () => {
    for (const kind of kinds) {
      const lo = simulateColorBlindness(featureValueColor(0), kind);
      const hi = simulateColorBlindness(featureValueColor(1), kind);
      expect(deltaE(lo, hi)).toBeGreaterThan(20);
      // and the midpoint differs from both ends
      const mid = simulateColorBlindness(featureValueColor(0.5), kind);
      expect(Math.min(deltaE(mid, lo), deltaE(mid, hi))).toBeGreaterThan(8);
    }
    expect(featureValueColor(0)).toBe(NEGATIVE);
    expect(featureValueColor(1)).toBe(POSITIVE);
  });
  it('keep the diverging map signed: negative, zero and positive distinguishable for everyone', () => {
    for (const kind of [...kinds, null]) {
      const sim = (c: string) => (kind ? simulateColorBlindness(c, kind) : c);
      const neg = sim(divergingColor(-1));
      const zero = sim(divergingColor(0));
      const pos = sim(divergingColor(1));
      expect(deltaE(neg, pos)).toBeGreaterThan(20);
      expect(deltaE(neg, zero)).toBeGreaterThan(20);
      expect(deltaE(pos, zero)).toBeGreaterThan(20);
    }
  });
  it('keeps the positive/negative bar colours apart under each deficiency', () => {
    for (const kind of kinds)
      expect(
        deltaE(simulateColorBlindness(POSITIVE, kind), simulateColorBlindness(NEGATIVE, kind)),
      ).toBeGreaterThan(20);
  });
});
