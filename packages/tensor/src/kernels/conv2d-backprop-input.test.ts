import { afterAll, describe, expect, it } from 'vitest';
import { type ConvCase, convCases } from '../../test/conv-cases';
import { normals, onBackend, printParityLog, wasmVsCpu } from '../../test/parity';
import { gradCheck, tf } from '../index';
import { setBackpropInputStrategy, setCol2imChunkLimit } from './conv2d-backprop-input';

/** The kernel called directly (tfjs-core keeps its conv2dBackpropInput op out of the public API). */
function inputGradient(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: Record<string, unknown>): tf.Tensor {
  return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs as tf.NamedAttrMap) as tf.Tensor;
}

const cases = convCases;

/** The gradient of sum(conv2d(x, w) * r) for x. */
function inputGrad(c: ConvCase, seed: number): () => tf.Tensor[] {
  const xs = normals(c.x, seed);
  const ws = normals(c.filter, seed + 1);
  return () => {
    const x = tf.tensor4d(xs, c.x);
    const w = tf.tensor4d(ws, c.filter);
    const conv = (a: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, w, c.strides, c.pad, 'NHWC', 1, c.rounding);
    const outShape = conv(x).shape;
    const r = tf.tensor(normals(outShape, seed + 2), outShape);
    return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(conv(a), r)))(x)];
  };
}

async function withStrategy<T>(s: 'auto' | 'col2im', fn: () => Promise<T>): Promise<T> {
  const previous = setBackpropInputStrategy(s);
  try {
    return await fn();
  } finally {
    setBackpropInputStrategy(previous);
  }
}

describe('Conv2DBackpropInput on wasm (replaces tfjs-backend-wasm 4.22 own)', () => {
  afterAll(() => printParityLog('Conv2DBackpropInput'));

  it('is the kernel registered for wasm', () => {
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc.name).toBe('conv2dBackpropInput');
  });

  for (const [i, c] of cases.entries()) {
    for (const s of ['auto', 'col2im'] as const) {
      it(`matches the cpu backend (${s}): ${c.label}`, async () => {
        const error = await withStrategy(s, () =>
          wasmVsCpu(`conv2d dx (${s}): ${c.label}`, inputGrad(c, 80 + 3 * i)),
        );
        expect(error).toBeLessThan(1e-5);
      });
    }
  }

  it('matches the cpu backend when the patch matrix is built a slice of samples at a time', async () => {
    const previous = setCol2imChunkLimit(100);
    try {
      const c: ConvCase = { label: 'sliced', x: [5, 6, 6, 2], filter: [3, 3, 2, 3], strides: 2, pad: 'same' };
      expect(await wasmVsCpu('conv2d dx: one sample per slice', inputGrad(c, 110))).toBeLessThan(1e-5);
    } finally {
      setCol2imChunkLimit(previous);
    }
  });

  for (const strides of [1, 2]) {
    it(`matches the cpu backend for NCHW, stride ${strides} (called directly: wasm has no NCHW conv)`, async () => {
      const dyShape: [number, number, number, number] = strides === 1 ? [2, 4, 6, 5] : [2, 4, 3, 3];
      const dy = normals(dyShape, 111);
      const w = normals([3, 3, 3, 4], 112);
      const error = await wasmVsCpu(`conv2dBackpropInput NCHW, stride ${strides}, same`, () => [
        inputGradient(tf.tensor4d(dy, dyShape), tf.tensor4d(w, [3, 3, 3, 4]), {
          strides,
          pad: 'same',
          dataFormat: 'NCHW',
          inputShape: [2, 3, 6, 5],
        }),
      ]);
      expect(error).toBeLessThan(1e-5);
    });
  }

  for (const strides of [1, 2]) {
    it(`matches the cpu backend in conv2dTranspose (its forward is this kernel), stride ${strides}`, async () => {
      const out: [number, number, number, number] = [2, 4 * strides, 4 * strides, 2];
      const xs = normals([2, 4, 4, 3], 113);
      const ws = normals([3, 3, 2, 3], 114);
      const r = normals(out, 115);
      const error = await wasmVsCpu(`conv2dTranspose y, dx, dW, stride ${strides}`, () => {
        const x = tf.tensor4d(xs, [2, 4, 4, 3]);
        const w = tf.tensor4d(ws, [3, 3, 2, 3]);
        const f = (a: tf.Tensor, b: tf.Tensor) =>
          tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, out, strides, 'same');
        const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), tf.tensor4d(r, out))))([
          x,
          w,
        ]);
        return [f(x, w), ...grads];
      });
      expect(error).toBeLessThan(1e-5);
    });
  }

  it('agrees with central differences on wasm, stride 1 and stride 2', async () => {
    for (const strides of [1, 2] as const) {
      const result = await onBackend('wasm', () => {
        const x = tf.tensor4d(normals([1, 5, 4, 2], 116), [1, 5, 4, 2]);
        const w = tf.tensor4d(normals([3, 2, 2, 3], 117), [3, 2, 2, 3]);
        const outShape = tf.tidy(() => tf.conv2d(x, w, strides, 'same').shape);
        const r = tf.tensor(normals(outShape, 118), outShape);
        const out = gradCheck(
          (a) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, w, strides, 'same'), r)),
          [x],
          {
            eps: 1e-2,
            rtol: 1e-2,
            atol: 1e-3,
          },
        );
        tf.dispose([x, w, r]);
        return out;
      });
      expect(result.ok, `stride ${strides}`).toBe(true);
    }
  });

  it('rejects int32 input and a dy of the wrong shape, naming the argument', async () => {
    await onBackend('wasm', () => {
      const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [1, 3, 3, 1] };
      const w = tf.zeros([1, 1, 1, 2]) as tf.Tensor4D;
      const dyInt = tf.zeros([1, 3, 3, 2], 'int32') as tf.Tensor4D;
      expect(() => inputGradient(dyInt, w, attrs)).toThrow(
        /Conv2DBackpropInput: dy: expected dtype float32, found int32/,
      );
      const wrong = tf.zeros([1, 2, 3, 2]) as tf.Tensor4D;
      expect(() => inputGradient(wrong, w, attrs)).toThrow(
        /Conv2DBackpropInput: dy: expected shape \[1, 3, 3, 2\] \(NHWC\), found \[1, 2, 3, 2\]/,
      );
      tf.dispose([w, dyInt, wrong]);
    });
  });
});
