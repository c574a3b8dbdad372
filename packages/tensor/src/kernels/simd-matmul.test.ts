import { describe, expect, it } from 'vitest';
import { normals, onBackend, relativeError } from '../../test/parity';
import { tf } from '../index';
import { SHARED_IDENTITY_FLAG } from './shared-identity';
import { SIMD_MATMUL_FLAG, simdMatMul } from './simd-matmul';
import type { WasmBackend } from './wasm-backend';

/** The float64 product of logical a [m, k] and b [k, n], from their float32 values. */
function exact(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) out[i * n + j] += a[i * k + p] * b[p * n + j];
  return out;
}

/** Runs simdMatMul directly on the wasm backend; undefined when it declines. */
function tiled(
  a: tf.Tensor,
  b: tf.Tensor,
  transposeA: boolean,
  transposeB: boolean,
): Float32Array | undefined {
  const backend = tf.backend() as unknown as WasmBackend;
  const info = simdMatMul(backend, a, b, { transposeA, transposeB });
  if (info == null) return undefined;
  const out = tf.engine().makeTensorFromTensorInfo(info);
  const values = Float32Array.from(out.dataSync() as Float32Array);
  out.dispose();
  return values;
}

const flags = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

describe('SIMD tiled matMul on wasm', () => {
  // 7 rows: a remainder tile of 3; 36 columns: four 8-wide tiles and a 4-wide one; k = 300: two
  // whole k blocks and a part.
  it.each(flags)(
    'is the product within float32 summation error (transposeA %s, transposeB %s)',
    async (ta, tb) => {
      await onBackend('wasm', () => {
        const [m, k, n] = [7, 300, 36];
        const as = normals([m, k], 1);
        const bs = normals([k, n], 2);
        const a = ta ? tf.transpose(tf.tensor2d(as, [m, k])) : tf.tensor2d(as, [m, k]);
        const b = tb ? tf.transpose(tf.tensor2d(bs, [k, n])) : tf.tensor2d(bs, [k, n]);
        const before = tf.memory().numTensors;
        const ours = tiled(a, b, ta, tb);
        expect(ours).toBeDefined();
        expect(relativeError(ours as Float32Array, exact(as, bs, m, k, n))).toBeLessThan(1e-6);
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([a, b]);
      });
    },
  );

  it('declines shapes it does not take: columns not in fours, a small b, a batch, int32', async () => {
    await onBackend('wasm', () => {
      const t = (shape: number[], dtype: 'float32' | 'int32' = 'float32') => tf.ones(shape, dtype);
      const cases: [tf.Tensor, tf.Tensor][] = [
        [t([8, 600]), t([600, 10])],
        [t([8, 16]), t([16, 64])],
        [t([2, 8, 600]), t([2, 600, 8])],
        [t([8, 600], 'int32'), t([600, 8], 'int32')],
      ];
      for (const [a, b] of cases) expect(tiled(a, b, false, false)).toBeUndefined();
      tf.dispose(cases.flat());
    });
  });

  it('leaves a b it has already multiplied to XNNPACK, which keeps b packed from then on', async () => {
    await onBackend('wasm', () => {
      const a = tf.tensor2d(normals([4, 256], 3), [4, 256]);
      const b = tf.tensor2d(normals([256, 16], 4), [256, 16]);
      expect(tiled(a, b, false, false)).toBeDefined();
      expect(tiled(a, b, false, false)).toBeUndefined();
      // A transposed b is a fresh copy every time, which XNNPACK would pack every time.
      expect(tiled(a, tf.transpose(b), false, true)).toBeDefined();
      expect(tiled(a, tf.transpose(b), false, true)).toBeDefined();
      tf.dispose([a, b]);
    });
  });

  it('gives matMul the same values on both routes, and frees its temporaries', async () => {
    await onBackend('wasm', () => {
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const x = tf.tensor2d(normals([64, 784], 5), [64, 784]);
      const w = tf.tensor2d(normals([128, 784], 6), [128, 784]);
      const run = () => tf.tidy(() => Float32Array.from(tf.matMul(x, tf.add(w, 0), false, true).dataSync()));
      run();
      const blocks = backend.numDataIds();
      const tiledValues = run();
      expect(backend.numDataIds()).toBe(blocks);
      tf.env().set(SIMD_MATMUL_FLAG, false);
      try {
        expect(relativeError(tiledValues, run())).toBeLessThan(1e-6);
      } finally {
        tf.env().set(SIMD_MATMUL_FLAG, true);
      }
      tf.dispose([x, w]);
    });
  });
});

describe('Identity on wasm', () => {
  it('shares the memory of its input, which outlives either tensor alone (copies with the flag off)', async () => {
    await onBackend('wasm', () => {
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const x = tf.tensor1d([1, 2, 3]);
      const blocks = backend.numDataIds();
      const copy = tf.clone(x);
      expect(backend.numDataIds()).toBe(blocks);
      x.dispose();
      expect(Array.from(copy.dataSync())).toEqual([1, 2, 3]);
      copy.dispose();
      expect(backend.numDataIds()).toBe(blocks - 1);
      tf.env().set(SHARED_IDENTITY_FLAG, false);
      try {
        const y = tf.tensor1d([4, 5]);
        const own = tf.clone(y);
        expect(backend.numDataIds()).toBe(blocks + 1);
        tf.dispose([y, own]);
      } finally {
        tf.env().set(SHARED_IDENTITY_FLAG, true);
      }
    });
  });

  it('keeps gradients right where tfjs saves a tensor twice', async () => {
    await onBackend('wasm', () => {
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.square(x), tf.exp(x))));
      const x = tf.tensor1d([0.5, -1, 2]);
      const before = tf.memory().numTensors;
      const values = tf.tidy(() => Array.from(g(x).dataSync()));
      expect(tf.memory().numTensors).toBe(before);
      const expected = [0.5, -1, 2].map((v) => (2 * v + v * v) * Math.exp(v));
      for (let i = 0; i < 3; i++) expect(values[i]).toBeCloseTo(expected[i], 4);
      x.dispose();
    });
  });
});
