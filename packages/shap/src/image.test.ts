import { Generator } from '@descent/random';
import { describe, expect, it } from 'vitest';
import { explainImage, imageBaseline } from './image.js';
import type { Matrix } from './matrix.js';
import { sum } from './test-helpers.js';

/** A synthetic 28×28 "digit": a bright vertical bar (a one) on black, with a little noise. */
function digit(): Float64Array {
  const rng = new Generator(9);
  const img = new Float64Array(28 * 28);
  for (let y = 4; y < 24; y++) for (let x = 12; x < 16; x++) img[y * 28 + x] = 0.9 + 0.1 * rng.uniform();
  return img;
}

/** A tiny convolutional network in plain JS: 3×3 conv (2 filters) → ReLU → 4×4 average pool → dense → softmax(10). */
function tinyCnn(seed: number) {
  const rng = new Generator(seed);
  const K = Array.from({ length: 18 }, () => rng.normal() * 0.5);
  const D = Array.from({ length: 10 * 2 * 49 }, () => rng.normal() * 0.3);
  return (X: Matrix) => {
    const out = new Float64Array(X.rows * 10);
    const pooled = new Float64Array(2 * 49);
    for (let r = 0; r < X.rows; r++) {
      const img = X.data.subarray(r * 784, (r + 1) * 784);
      pooled.fill(0);
      for (let f = 0; f < 2; f++) {
        for (let y = 0; y < 28; y++) {
          for (let x = 0; x < 28; x++) {
            let a = 0;
            for (let dy = -1; dy <= 1; dy++) {
              for (let dx = -1; dx <= 1; dx++) {
                const yy = y + dy;
                const xx = x + dx;
                if (yy >= 0 && yy < 28 && xx >= 0 && xx < 28)
                  a += K[f * 9 + (dy + 1) * 3 + dx + 1] * img[yy * 28 + xx];
              }
            }
            pooled[f * 49 + Math.floor(y / 4) * 7 + Math.floor(x / 4)] += Math.max(0, a) / 16;
          }
        }
      }
      let max = Number.NEGATIVE_INFINITY;
      const logits = new Float64Array(10);
      for (let k = 0; k < 10; k++) {
        for (let i = 0; i < 98; i++) logits[k] += D[k * 98 + i] * pooled[i];
        max = Math.max(max, logits[k]);
      }
      let z = 0;
      for (let k = 0; k < 10; k++) z += Math.exp(logits[k] - max);
      for (let k = 0; k < 10; k++) out[r * 10 + k] = Math.exp(logits[k] - max) / z;
    }
    return { data: out, rows: X.rows, cols: 10 };
  };
}

describe('explainImage', () => {
  it('gives each patch Σ w·(x − baseline) for a linear model on pixels, and maps values onto pixels', async () => {
    const H = 6;
    const W = 9;
    const rng = new Generator(4);
    const img = Float64Array.from({ length: H * W }, () => rng.uniform());
    const w = Float64Array.from({ length: H * W }, () => rng.normal());
    const model = (X: Matrix) =>
      Float64Array.from({ length: X.rows }, (_, r) => sum(w.map((wi, i) => wi * X.data[r * X.cols + i])));
    for (const baseline of ['zero', 'mean', 0.5, 'blur'] as const) {
      const e = await explainImage(model, { data: img, height: H, width: W }, { patchSize: 3, baseline });
      expect(e.gridRows).toBe(2);
      expect(e.gridCols).toBe(3);
      for (let gr = 0; gr < 2; gr++) {
        for (let gc = 0; gc < 3; gc++) {
          let expected = 0;
          for (let y = gr * 3; y < gr * 3 + 3; y++) {
            for (let x = gc * 3; x < gc * 3 + 3; x++)
              expected += w[y * W + x] * (img[y * W + x] - e.baseline[y * W + x]);
          }
          expect(e.values[gr * 3 + gc]).toBeCloseTo(expected, 9);
          expect(e.pixelValues[(gr * 3 + 1) * W + gc * 3 + 2]).toBe(e.values[gr * 3 + gc]);
        }
      }
    }
  });

  it('builds the baselines: per-channel mean, zero, a constant, and a blur that keeps the mean of a flat image', () => {
    const img = Float64Array.from([1, 10, 3, 20, 5, 30, 7, 40]); // 2×2, 2 channels
    expect(Array.from(imageBaseline(img, 2, 2, 2, 'mean', 1))).toEqual([4, 25, 4, 25, 4, 25, 4, 25]);
    expect(Array.from(imageBaseline(img, 2, 2, 2, 'zero', 1))).toEqual(new Array(8).fill(0));
    expect(Array.from(imageBaseline(img, 2, 2, 2, 0.25, 1))).toEqual(new Array(8).fill(0.25));
    const blurred = imageBaseline(img, 2, 2, 2, 'blur', 1);
    for (let i = 0; i < 8; i += 2) expect(blurred[i]).toBeCloseTo(4, 12);
    const flat = new Float64Array(25).fill(2);
    expect(Array.from(imageBaseline(flat, 5, 5, 1, 'blur', 2))).toEqual(new Array(25).fill(2));
    expect(() => imageBaseline(img, 2, 2, 2, 'gauss' as 'blur', 1)).toThrow(
      /baseline: expected 'mean', 'blur', 'zero' or a number/,
    );
  });

  it('explains a small CNN on a 28×28 digit: predicted class by default, efficient, zero on blank patches', async () => {
    const model = tinyCnn(3);
    const img = digit();
    const probs = model({ data: img, rows: 1, cols: 784 }).data;
    const predicted = probs.indexOf(Math.max(...probs));
    for (const explainer of ['kernel', 'permutation'] as const) {
      const e = await explainImage(
        model,
        { data: img, height: 28, width: 28 },
        { explainer, baseline: 'zero', npermutations: 2 },
      );
      expect(e.output).toBe(predicted);
      expect(e.patchSize).toBe(4);
      expect(e.values).toHaveLength(49);
      expect(e.outputValue).toBeCloseTo(probs[predicted], 12);
      expect(e.baseValue + sum(e.values)).toBeCloseTo(probs[predicted], 9);
      // Blank patches equal the zero baseline: they cannot matter.
      expect(e.values[0]).toBe(0);
      expect(e.explanation.outputs).toBe(10);
    }
    const exact = await explainImage(
      model,
      { data: img, height: 28, width: 28 },
      { explainer: 'exact', patchSize: 14, output: 2 },
    );
    expect(exact.output).toBe(2);
    expect(exact.values).toHaveLength(4);
    expect(exact.baseValue + sum(exact.values)).toBeCloseTo(probs[2], 9);
  });

  it('rejects bad images and options', async () => {
    const m = (X: Matrix) => new Float64Array(X.rows);
    await expect(explainImage(m, { data: [1, 2, 3], height: 2, width: 2 })).rejects.toThrow(
      'image.data: expected height × width × channels = 4 values, found 3',
    );
    await expect(
      explainImage(m, { data: [1, 2, 3, 4], height: 2, width: 2 }, { patchSize: 0 }),
    ).rejects.toThrow('patchSize: expected a positive integer, found 0');
    await expect(
      explainImage(m, { data: [1, 2, 3, 4], height: 2, width: 2 }, { explainer: 'deep' as 'exact' }),
    ).rejects.toThrow("explainer: expected 'kernel', 'permutation' or 'exact'");
  });
});
