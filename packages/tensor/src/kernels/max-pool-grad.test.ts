import { afterAll, describe, expect, it } from 'vitest';
import { explicitPad } from '../../test/depthwise-cases';
import { maxPoolGrad, onWasm, type PoolCase, poolCase, poolGrad } from '../../test/max-pool-cases';
import { normals, onBackend, printParityLog, wasmVsCpu } from '../../test/parity';
import { Generator, gradCheck, tf } from '../index';

const cases: PoolCase[] = [
  poolCase('2x2 s2 valid', [3, 8, 8, 4], 2, 2, 'valid', 'negative'),
  poolCase('2x2 s2 same, odd sizes', [2, 7, 9, 3], 2, 2, 'same', 'normal'),
  poolCase('2x2 s1 same, 1 channel', [3, 5, 6, 1], 2, 1, 'same', 'ties'),
  poolCase('3x3 s1 same', [2, 6, 7, 5], 3, 1, 'same', 'ties'),
  poolCase('3x3 s1 same', [2, 6, 7, 5], 3, 1, 'same', 'negative'),
  poolCase('3x3 s2 same', [2, 7, 8, 3], 3, 2, 'same', 'negative'),
  poolCase('3x3 s2 valid', [2, 9, 9, 2], 3, 2, 'valid', 'ties'),
  poolCase('3x3 s1 valid, 1 channel', [4, 6, 6, 1], 3, 1, 'valid', 'negative'),
  poolCase('2x3 window, strides [2,1], pad 1', [2, 7, 6, 3], [2, 3], [2, 1], 1, 'ties'),
  poolCase('3x3 s2, explicit pads [1,0]x[2,1]', [2, 6, 5, 2], 3, 2, explicitPad([1, 0], [2, 1]), 'negative'),
];

/**
 * gradCheck of sum(pool(x) * r) for x on the current backend. x holds distinct negative values
 * 0.05 apart, so a step of 0.01 never changes which cell is a window's maximum.
 */
function fdCheck(shape: [number, number, number, number], seed: number, pool: (a: tf.Tensor4D) => tf.Tensor) {
  const g = new Generator(seed);
  const order = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(g.uniform() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const x = tf.tensor4d(
    order.map((k) => -1 - 0.05 * k),
    shape,
  );
  const outShape = tf.tidy(() => pool(x).shape);
  const r = tf.tensor(normals(outShape, seed + 1), outShape);
  const out = gradCheck((a) => tf.sum(tf.mul(pool(a as tf.Tensor4D), r)), [x], {
    eps: 1e-2,
    rtol: 1e-2,
    atol: 1e-3,
  });
  tf.dispose([x, r]);
  return out;
}

describe('MaxPoolGrad on wasm (replaces tfjs-backend-wasm 4.22 own)', () => {
  afterAll(() => printParityLog('MaxPoolGrad'));

  it('is the kernel registered for wasm', () => {
    expect(tf.getKernel('MaxPoolGrad', 'wasm')?.kernelFunc.name).toBe('maxPoolGrad');
  });

  it('sends an all-negative window gradient to its maximum (hand-worked; tfjs 4.22 gave [10, 0, …, 0])', async () => {
    const x = [-3, -1, -2, -4, -5, -6, -0.5, -7, -1, -2, -3, -4, -9, -8, -7, -6];
    const dx = await onWasm(() =>
      maxPoolGrad(tf.tensor4d(x, [1, 4, 4, 1]), tf.tensor4d([10, 20, 30, 40], [1, 2, 2, 1]), {
        filterSize: 2,
        strides: 2,
        pad: 'valid',
      }),
    );
    expect(dx).toEqual([0, 10, 0, 0, 0, 0, 20, 0, 30, 0, 40, 0, 0, 0, 0, 0]);
  });

  it('settles ties on the first cell in window order and skips padding (not a 0 that beats -2)', async () => {
    const x = tf.fill([1, 2, 2, 1], -2) as tf.Tensor4D;
    const valid = await onWasm(() =>
      maxPoolGrad(x, tf.tensor4d([5], [1, 1, 1, 1]), { filterSize: 2, strides: 1, pad: 'valid' }),
    );
    expect(valid).toEqual([5, 0, 0, 0]);
    // 'same' 3x3 stride 1 on 2x2: every window holds all four cells, so all go to cell (0, 0).
    const same = await onWasm(() =>
      maxPoolGrad(x, tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]), { filterSize: 3, strides: 1, pad: 'same' }),
    );
    expect(same).toEqual([10, 0, 0, 0]);
    x.dispose();
  });

  for (const [i, c] of cases.entries()) {
    it(`equals the cpu backend bit for bit: ${c.label}, ${c.values} values, x [${c.x}]`, async () => {
      expect(await wasmVsCpu(`maxPool dx: ${c.label}, ${c.values}`, poolGrad(c, 60 + 2 * i))).toBe(0);
    });
  }

  it('passes no gradient from windows of -Infinity or NaN, like the cpu backend', async () => {
    const x = [-Infinity, -Infinity, 1, 2, -Infinity, -Infinity, 3, 0, NaN, NaN, NaN, -1, NaN, NaN, 4, NaN];
    const error = await wasmVsCpu('maxPool dx: -Infinity and NaN windows', () => [
      maxPoolGrad(tf.tensor4d(x, [1, 4, 4, 1]), tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]), {
        filterSize: 2,
        strides: 2,
        pad: 'valid',
      }),
    ]);
    expect(error).toBe(0);
    const dx = await onWasm(() =>
      maxPoolGrad(tf.tensor4d(x, [1, 4, 4, 1]), tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]), {
        filterSize: 2,
        strides: 2,
        pad: 'valid',
      }),
    );
    expect(dx).toEqual([0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 4, 0]);
  });

  it('agrees with central differences on wasm (all-negative input, 3x3 s2 same, 2 channels)', async () => {
    const result = await onBackend('wasm', () =>
      fdCheck([2, 5, 5, 2], 70, (a) => tf.maxPool(a, 3, 2, 'same')),
    );
    expect(result.ok).toBe(true);
  });

  it("agrees with central differences for a 'ceil' pool, whose rounding tfjs-core's gradient drops", async () => {
    // 6x6, 3x3 stride 2: floor gives 2x2 windows, ceil 3x3 (the last row and column half outside).
    const pool = (a: tf.Tensor4D) => tf.maxPool(a, 3, 2, 0, 'ceil');
    const result = await onBackend('wasm', () => fdCheck([1, 6, 6, 2], 72, pool));
    expect(result.ok).toBe(true);
    // Called with the rounding stated, the kernel equals the cpu one (which needs it stated).
    const x = normals([2, 6, 6, 2], 74);
    const dy = normals([2, 3, 3, 2], 75);
    const error = await wasmVsCpu('maxPool dx: 3x3 s2 pad 0 ceil, rounding stated', () => [
      maxPoolGrad(tf.tensor4d(x, [2, 6, 6, 2]), tf.tensor4d(dy, [2, 3, 3, 2]), {
        filterSize: 3,
        strides: 2,
        pad: 0,
        dimRoundingMode: 'ceil',
      }),
    ]);
    expect(error).toBe(0);
  });

  it('rejects int32 input and a dy of the wrong shape, naming the argument', async () => {
    await onBackend('wasm', () => {
      const attrs = { filterSize: 2, strides: 2, pad: 'valid' };
      const xi = tf.zeros([1, 4, 4, 1], 'int32') as tf.Tensor4D;
      const dy = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
      const call = (x: tf.Tensor4D, d: tf.Tensor4D) =>
        tf.engine().runKernel('MaxPoolGrad', { dy: d, input: x, output: d }, attrs as tf.NamedAttrMap);
      expect(() => call(xi, dy)).toThrow(/MaxPoolGrad: input: expected dtype float32, found int32/);
      const xf = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
      const wrong = tf.zeros([1, 3, 2, 1]) as tf.Tensor4D;
      expect(() => call(xf, wrong)).toThrow(
        /MaxPoolGrad: dy: expected shape \[1, 2, 2, 1\], found \[1, 3, 2, 1\]/,
      );
      tf.dispose([xi, dy, xf, wrong]);
    });
  });
});
