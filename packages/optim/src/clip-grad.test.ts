import { leakGuard, tf } from '@descent/tensor';
import { describe, expect, test, vi } from 'vitest';
import { clipGradNorm, clipGradNormAsync, clipGradValue } from './clip-grad';

const A = [3, -4, 0, 12];
const B = [-2, 1];
const make = () => ({ a: tf.tensor2d(A, [2, 2]), b: tf.tensor1d(B) });

describe('clipGradNorm', () => {
  test('scales by maxNorm / (total + 1e-6) when the joint 2-norm is larger', () => {
    const grads = make();
    const total = Math.hypot(...A, ...B);
    const guard = leakGuard();
    const out = clipGradNorm(grads, 2);
    // Exactly the two results are new; every temporary is gone.
    expect(guard.leaked()).toBe(2);
    expect(out.totalNorm).toBeCloseTo(total, 4);
    const scale = 2 / (total + 1e-6);
    Array.from(out.grads.a.dataSync()).forEach((v, i) => {
      expect(v).toBeCloseTo(A[i] * scale, 6);
    });
    Array.from(out.grads.b.dataSync()).forEach((v, i) => {
      expect(v).toBeCloseTo(B[i] * scale, 6);
    });
    // The caller's gradients are untouched, and the results are new tensors.
    expect(Array.from(grads.a.dataSync())).toEqual(A);
    expect(out.grads.a).not.toBe(grads.a);
    tf.dispose(out.grads);
    guard.check('clipGradNorm');
    tf.dispose(grads);
  });

  test('returns unscaled copies when the norm is within maxNorm', () => {
    const grads = make();
    const out = clipGradNorm(grads, 100);
    expect(Array.from(out.grads.a.dataSync())).toEqual(A);
    expect(out.grads.a).not.toBe(grads.a);
    tf.dispose([out.grads]);
    expect(grads.a.isDisposed).toBe(false);
    tf.dispose(grads);
  });

  test('1-norm, infinity norm and other p', () => {
    const grads = make();
    const all = [...A, ...B];
    expect(clipGradNorm(grads, 1e9, 1).totalNorm).toBeCloseTo(
      all.reduce((s, v) => s + Math.abs(v), 0),
      4,
    );
    expect(clipGradNorm(grads, 1e9, Infinity).totalNorm).toBe(12);
    expect(clipGradNorm(grads, 1e9, 3).totalNorm).toBeCloseTo(
      all.reduce((s, v) => s + Math.abs(v) ** 3, 0) ** (1 / 3),
      3,
    );
    const inf = clipGradNorm(grads, 6, Infinity);
    expect(inf.grads.a.dataSync()[3]).toBeCloseTo(12 * (6 / (12 + 1e-6)), 5);
    tf.dispose([grads, inf.grads]);
  });

  test('validates and handles an empty map', () => {
    const grads = make();
    expect(clipGradNorm({}, 1)).toEqual({ grads: {}, totalNorm: 0 });
    expect(() => clipGradNorm(grads, -1)).toThrow('maxNorm: expected a number >= 0, found -1');
    expect(() => clipGradNorm(grads, 1, 0)).toThrow('normType: expected a number > 0 or Infinity, found 0');
    const bad = { x: tf.tensor1d([Number.NaN, 1]) };
    expect(() => clipGradNorm(bad, 1, 2, true)).toThrow('grads: expected a finite total norm');
    tf.dispose([grads, bad]);
  });
});

describe('clipGradNormAsync', () => {
  test('gives clipGradNorm’s norm and gradients for every p, reading nothing synchronously', async () => {
    const grads = make();
    const dataSync = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    const readSync = vi.spyOn(tf.Tensor.prototype, 'arraySync');
    const results = [];
    for (const [maxNorm, p] of [
      [2, 2],
      [100, 2],
      [3, 1],
      [6, Infinity],
      [1, 3],
    ]) {
      const guard = leakGuard();
      const out = await clipGradNormAsync(grads, maxNorm, p);
      expect(guard.leaked()).toBe(2);
      results.push({ maxNorm, p, out });
    }
    expect(dataSync).not.toHaveBeenCalled();
    expect(readSync).not.toHaveBeenCalled();
    dataSync.mockRestore();
    readSync.mockRestore();
    for (const { maxNorm, p, out } of results) {
      const sync = clipGradNorm(grads, maxNorm, p);
      expect(out.totalNorm).toBeCloseTo(sync.totalNorm, 5);
      for (const name of ['a', 'b']) {
        const a = out.grads[name].dataSync();
        const b = sync.grads[name].dataSync();
        for (let i = 0; i < b.length; i++) expect(a[i]).toBeCloseTo(b[i], 6);
      }
      tf.dispose([out.grads, sync.grads]);
    }
    // Within maxNorm the scale is exactly 1.
    const unclipped = await clipGradNormAsync(grads, 100);
    expect(Array.from(unclipped.grads.a.dataSync())).toEqual(A);
    tf.dispose([grads, unclipped.grads]);
  });

  test('rejects a non-finite norm when asked, leaving no tensor behind, and validates like clipGradNorm', async () => {
    const bad = { x: tf.tensor1d([Number.NaN, 1]) };
    const guard = leakGuard();
    await expect(clipGradNormAsync(bad, 1, 2, true)).rejects.toThrow('grads: expected a finite total norm');
    guard.check('clipGradNormAsync');
    await expect(clipGradNormAsync(bad, -1)).rejects.toThrow('maxNorm: expected a number >= 0, found -1');
    expect(await clipGradNormAsync({}, 1)).toEqual({ grads: {}, totalNorm: 0 });
    tf.dispose(bad);
  });
});

describe('clipGradValue', () => {
  test('clamps every element into [-v, v]', () => {
    const grads = make();
    const out = clipGradValue(grads, 2.5);
    expect(Array.from(out.a.dataSync())).toEqual([2.5, -2.5, 0, 2.5]);
    expect(Array.from(out.b.dataSync())).toEqual([-2, 1]);
    expect(Array.from(grads.a.dataSync())).toEqual(A);
    expect(() => clipGradValue(grads, -1)).toThrow('clipValue: expected a finite number >= 0, found -1');
    tf.dispose([grads, out]);
  });
});
