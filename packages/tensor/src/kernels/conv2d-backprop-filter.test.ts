import { afterAll, describe, expect, it } from 'vitest';
import { type ConvCase, convCases, convGrads, filterGradient } from '../../test/conv-cases';
import { normals, onBackend, printParityLog, wasmVsCpu } from '../../test/parity';
import { gradCheck, tf } from '../index';
import { setIm2colChunkLimit } from './conv2d-backprop-filter';

const cases = convCases;

describe('Conv2DBackpropFilter on wasm', () => {
  afterAll(() => printParityLog('Conv2DBackpropFilter'));

  for (const c of cases) {
    it(`matches the cpu backend: ${c.label}`, async () => {
      expect(await wasmVsCpu(`conv2d dx,dW: ${c.label}`, convGrads(c))).toBeLessThan(1e-4);
    });
  }

  it('matches the cpu backend when the patch matrix is built a slice of samples at a time', async () => {
    const previous = setIm2colChunkLimit(100);
    try {
      const c: ConvCase = { label: 'sliced', x: [5, 6, 6, 2], filter: [3, 3, 2, 3], strides: 1, pad: 'same' };
      expect(await wasmVsCpu('conv2d dW: one sample per slice', convGrads(c))).toBeLessThan(1e-4);
    } finally {
      setIm2colChunkLimit(previous);
    }
  });

  it('matches the cpu backend for NCHW inputs (called directly: wasm has no NCHW forward conv)', async () => {
    const x = normals([2, 3, 6, 5], 4);
    const dy = normals([2, 4, 3, 3], 5);
    const error = await wasmVsCpu('conv2dBackpropFilter NCHW, stride 2, same', () => [
      filterGradient(tf.tensor4d(x, [2, 3, 6, 5]), tf.tensor4d(dy, [2, 4, 3, 3]), {
        strides: 2,
        pad: 'same',
        dataFormat: 'NCHW',
        filterShape: [3, 3, 3, 4],
      }),
    ]);
    expect(error).toBeLessThan(1e-4);
  });

  it("matches the cpu backend in conv2dTranspose's gradient (it runs the filter gradient on swapped roles)", async () => {
    const xs = normals([2, 4, 4, 3], 6);
    const ws = normals([3, 3, 2, 3], 7);
    const r = normals([2, 8, 8, 2], 8);
    const error = await wasmVsCpu('conv2dTranspose dx,dW, stride 2, same', () =>
      tf.grads((x: tf.Tensor, w: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, 8, 8, 2], 2, 'same'),
            tf.tensor4d(r, [2, 8, 8, 2]),
          ),
        ),
      )([tf.tensor4d(xs, [2, 4, 4, 3]), tf.tensor4d(ws, [3, 3, 2, 3])]),
    );
    expect(error).toBeLessThan(1e-4);
  });

  it('agrees with central differences on wasm', async () => {
    const result = await onBackend('wasm', () => {
      const x = tf.tensor4d(normals([1, 5, 4, 2], 9), [1, 5, 4, 2]);
      const w = tf.tensor4d(normals([2, 3, 2, 2], 10), [2, 3, 2, 2]);
      const r = tf.tensor4d(normals([1, 2, 2, 2], 11), [1, 2, 2, 2]);
      const out = gradCheck((f) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, [2, 1], 'valid'), r)), [w], {
        eps: 1e-2,
        rtol: 1e-2,
        atol: 1e-3,
      });
      tf.dispose([x, w, r]);
      return out;
    });
    expect(result.ok).toBe(true);
  });

  it('refuses a dy whose shape fits no rounding of the geometry, naming dy', async () => {
    await onBackend('wasm', () => {
      const x = tf.zeros([1, 6, 6, 2]) as tf.Tensor4D;
      const dy = tf.zeros([1, 5, 6, 4]) as tf.Tensor4D;
      const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 4] };
      expect(() => filterGradient(x, dy, attrs)).toThrow(
        /Conv2DBackpropFilter: dy: expected shape \[1, 6, 6, 4\], found \[1, 5, 6, 4\]/,
      );
      tf.dispose([x, dy]);
    });
  });

  it('rejects int32 input, naming the argument and the dtype', async () => {
    await onBackend('wasm', () => {
      const x = tf.zeros([1, 3, 3, 1], 'int32') as tf.Tensor4D;
      const dy = tf.zeros([1, 3, 3, 1]) as tf.Tensor4D;
      const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [1, 1, 1, 1] };
      expect(() => filterGradient(x, dy, attrs)).toThrow(
        /Conv2DBackpropFilter: x: expected dtype float32, found int32/,
      );
      tf.dispose([x, dy]);
    });
  });
});
