import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { convCases } from '../../test/conv-cases';
import { normals } from '../../test/parity';
import { tf } from '../index';
import { CPU_KERNELS_FLAG } from './cpu-backend';
import { stockConv2d } from './cpu-conv2d';
import { cpuKernelOverrides, overrideCpuKernels } from './cpu-kernel-overrides';
import { stockBatchMatMul } from './cpu-matmul';

type Shape4 = [number, number, number, number];

/** Seeded normals with a share of exact zeros (as after a ReLU), so the zero-skipping paths run. */
function values(shape: number[], seed: number, zeros = 0.5): Float32Array {
  const v = normals(shape, seed);
  const u = normals(shape, seed + 100);
  for (let i = 0; i < v.length; i++) if (u[i] < zeros * 2 - 1) v[i] = 0;
  return v;
}

/** Runs `fn` on cpu with descent's kernels on or off; every tensor it made is disposed. */
function on(descent: boolean, fn: () => tf.Tensor): Float32Array {
  tf.env().set(CPU_KERNELS_FLAG, descent);
  try {
    return tf.tidy(() => Float32Array.from(fn().dataSync() as Float32Array));
  } finally {
    tf.env().set(CPU_KERNELS_FLAG, false);
  }
}

/** Ours and tfjs's outputs are the same floats, element for element (NaN equals NaN). */
function expectBitIdentical(fn: () => tf.Tensor): void {
  const ours = on(true, fn);
  const stock = on(false, fn);
  expect(ours.length).toBe(stock.length);
  const differing = ours.findIndex((v, i) => !Object.is(v, stock[i]));
  expect(differing, `first differing element ${differing}`).toBe(-1);
}

const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>) =>
  tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;

const cases = convCases;

describe("descent's cpu kernels", () => {
  let previous: string;
  beforeAll(async () => {
    previous = tf.getBackend();
    await tf.setBackend('cpu');
  });
  afterAll(async () => {
    tf.env().set(CPU_KERNELS_FLAG, false);
    await tf.setBackend(previous);
  });

  it('replace tfjs-backend-cpu kernels on importing @descent/tensor, once', () => {
    for (const { config } of cpuKernelOverrides)
      expect(tf.getKernel(config.kernelName, 'cpu')?.kernelFunc).toBe(config.kernelFunc);
    expect(overrideCpuKernels()).toEqual([]);
  });

  describe.each(cases)('$label', (c) => {
    const x = () => tf.tensor4d(values(c.x, 1), c.x);
    const filter = () => tf.tensor4d(normals(c.filter, 2), c.filter);
    const forward = (a: tf.Tensor4D, f: tf.Tensor4D) =>
      tf.conv2d(a, f, c.strides, c.pad as 'same', 'NHWC', 1, c.rounding);
    const outShape = () => forward(x(), filter()).shape;
    const dy = () => tf.tensor(values(outShape(), 3, 0.3), outShape());
    const conv = { strides: c.strides, pad: c.pad, dimRoundingMode: c.rounding, dataFormat: 'NHWC' };

    it('Conv2D and FusedConv2D with a bias give tfjs’s floats', () => {
      expectBitIdentical(() => forward(x(), filter()));
      const bias = () => tf.tensor1d(normals([c.filter[3]], 4));
      expectBitIdentical(() =>
        tf.fused.conv2d({ x: x(), filter: filter(), bias: bias(), strides: c.strides, pad: c.pad as 'same' }),
      );
    });

    it('Conv2DBackpropInput gives tfjs’s floats', () => {
      expectBitIdentical(() =>
        run('Conv2DBackpropInput', { dy: dy(), filter: filter() }, { ...conv, inputShape: c.x }),
      );
    });

    it('Conv2DBackpropFilter gives tfjs’s floats, NHWC and NCHW', () => {
      expectBitIdentical(() =>
        run('Conv2DBackpropFilter', { x: x(), dy: dy() }, { ...conv, filterShape: c.filter }),
      );
      expectBitIdentical(() =>
        run(
          'Conv2DBackpropFilter',
          { x: tf.transpose(x(), [0, 3, 1, 2]), dy: tf.transpose(dy(), [0, 3, 1, 2]) },
          // Explicit pads are listed in the data format's own axis order.
          {
            ...conv,
            pad: Array.isArray(c.pad) ? [c.pad[0], c.pad[3], c.pad[1], c.pad[2]] : c.pad,
            dataFormat: 'NCHW',
            filterShape: c.filter,
          },
        ),
      );
    });
  });

  it('a dilated convolution gives tfjs’s floats', () => {
    expectBitIdentical(() =>
      tf.conv2d(
        tf.tensor4d(values([2, 9, 9, 3], 5), [2, 9, 9, 3]),
        tf.tensor4d(normals([3, 3, 3, 4], 6), [3, 3, 3, 4]),
        1,
        'same',
        'NHWC',
        2,
      ),
    );
  });

  it('give tfjs’s floats when NaN and ±Infinity meet zeros (no zero is skipped then)', () => {
    const x = values([2, 6, 6, 2], 7, 0.6);
    const f = normals([3, 3, 2, 3], 8);
    const dy = values([2, 6, 6, 3], 9, 0.5);
    x[5] = Number.NaN;
    f[4] = Number.POSITIVE_INFINITY;
    dy[7] = Number.NEGATIVE_INFINITY;
    const t = (v: Float32Array, s: number[]) => tf.tensor(v, s);
    expectBitIdentical(() =>
      tf.conv2d(t(x, [2, 6, 6, 2]) as tf.Tensor4D, t(f, [3, 3, 2, 3]) as tf.Tensor4D, 1, 'same'),
    );
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC' };
    expectBitIdentical(() =>
      run(
        'Conv2DBackpropFilter',
        { x: t(x, [2, 6, 6, 2]), dy: t(dy, [2, 6, 6, 3]) },
        { ...attrs, filterShape: [3, 3, 2, 3] },
      ),
    );
    expectBitIdentical(() =>
      run(
        'Conv2DBackpropInput',
        { dy: t(dy, [2, 6, 6, 3]), filter: t(f, [3, 3, 2, 3]) },
        { ...attrs, inputShape: [2, 6, 6, 2] },
      ),
    );
  });

  it('MaxPoolGrad gives tfjs’s floats: disjoint, overlapping and padded windows, ties', () => {
    const ties = new Float32Array(2 * 7 * 9 * 3).map((_, i) => (i * 7) % 5);
    for (const [shape, filterSize, strides, pad, v] of [
      [[3, 8, 8, 4], 2, 2, 'valid', values([3, 8, 8, 4], 10, 0)],
      [[2, 7, 9, 3], 3, 1, 'same', ties],
      [[2, 7, 9, 3], 3, 2, 'same', values([2, 7, 9, 3], 11, 0)],
      [[2, 7, 9, 3], 2, 2, 'same', ties],
    ] as [Shape4, number, number, 'same' | 'valid', Float32Array][]) {
      const input = () => tf.tensor4d(v, shape);
      const pooled = () => tf.maxPool(input(), filterSize, strides, pad);
      const dy = () => tf.tensor(normals(pooled().shape, 12), pooled().shape);
      expectBitIdentical(() =>
        run('MaxPoolGrad', { dy: dy(), input: input(), output: pooled() }, { filterSize, strides, pad }),
      );
    }
  });

  describe('BatchMatMul', () => {
    /** The product in float64 on the host, from the operands' own floats. */
    function reference(
      a: Float32Array,
      b: Float32Array,
      m: number,
      k: number,
      n: number,
      tA: boolean,
      tB: boolean,
    ) {
      const out = new Float64Array(m * n);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a[tA ? p * m + i : i * k + p] * b[tB ? j * k + p : p * n + j];
          out[i * n + j] = s;
        }
      return out;
    }

    it.each([
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ])('is the float64 product rounded once (transposeA %s, transposeB %s), close to tfjs’s', (tA, tB) => {
      const [m, k, n] = [7, 13, 10];
      const a = normals(tA ? [k, m] : [m, k], 20);
      const b = normals(tB ? [n, k] : [k, n], 21);
      const fn = () =>
        tf.matMul(tf.tensor2d(a, tA ? [k, m] : [m, k]), tf.tensor2d(b, tB ? [n, k] : [k, n]), tA, tB);
      const ours = on(true, fn);
      const exact = reference(a, b, m, k, n, tA, tB);
      expect(Array.from(ours)).toEqual(Array.from(Float32Array.from(exact)));
      const stock = on(false, fn);
      for (let i = 0; i < ours.length; i++) expect(ours[i]).toBeCloseTo(stock[i], 5);
    });

    it('broadcasts a batch of one over the other side, as tfjs does', () => {
      const a = normals([3, 4, 5], 22);
      const b = normals([1, 5, 6], 23);
      const fn = () => tf.matMul(tf.tensor3d(a, [3, 4, 5]), tf.tensor3d(b, [1, 5, 6]));
      const ours = on(true, fn);
      const stock = on(false, fn);
      expect(ours.length).toBe(3 * 4 * 6);
      for (let i = 0; i < ours.length; i++) expect(ours[i]).toBeCloseTo(stock[i], 5);
    });

    it('leaves int32 and mismatched shapes to tfjs’s kernel and its message', () => {
      const spy = vi.spyOn(stockBatchMatMul, 'run');
      tf.env().set(CPU_KERNELS_FLAG, true);
      try {
        const ints = tf.tidy(() =>
          tf
            .matMul(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), tf.tensor2d([1, 0, 0, 1], [2, 2], 'int32'))
            .arraySync(),
        );
        expect(ints).toEqual([
          [1, 2],
          [3, 4],
        ]);
        expect(() =>
          run(
            'BatchMatMul',
            { a: tf.ones([2, 3]), b: tf.ones([4, 2]) },
            { transposeA: false, transposeB: false },
          ),
        ).toThrow(/inner shapes \(3\) and \(4\)/);
        expect(spy).toHaveBeenCalledTimes(2);
      } finally {
        spy.mockRestore();
        tf.env().set(CPU_KERNELS_FLAG, false);
      }
    });
  });

  it('hand NCHW convolutions, and everything when the flag is off, to tfjs’s kernels', () => {
    const spy = vi.spyOn(stockConv2d, 'run');
    try {
      const x = tf.tensor4d(values([1, 2, 5, 5], 30), [1, 2, 5, 5]);
      const f = tf.tensor4d(normals([3, 3, 2, 2], 31), [3, 3, 2, 2]);
      on(true, () => tf.conv2d(x, f, 1, 'same', 'NCHW'));
      expect(spy).toHaveBeenCalledTimes(1);
      on(false, () => tf.conv2d(tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D, f, 1, 'same'));
      expect(spy).toHaveBeenCalledTimes(2);
      on(true, () => tf.conv2d(tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D, f, 1, 'same'));
      expect(spy).toHaveBeenCalledTimes(2);
      tf.dispose([x, f]);
    } finally {
      spy.mockRestore();
    }
  });

  it('train a small CNN to the same gradients as tfjs’s kernels, leaving no tensor behind', () => {
    const xs = values([4, 8, 8, 1], 40, 0.7);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    const f1 = tf.variable(tf.tensor4d(normals([3, 3, 1, 4], 41), [3, 3, 1, 4]));
    const f2 = tf.variable(tf.tensor4d(normals([3, 3, 4, 4], 42), [3, 3, 4, 4]));
    const w = tf.variable(tf.tensor2d(normals([16, 3], 43), [16, 3]));
    const loss = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(xs, [4, 8, 8, 1]);
        const h1 = tf.maxPool(tf.relu(tf.conv2d(x, f1, 1, 'same')), 2, 2, 'valid');
        const h2 = tf.maxPool(tf.relu(tf.conv2d(h1, f2, 1, 'same')), 2, 2, 'valid');
        return tf.losses.softmaxCrossEntropy(labels, tf.matMul(tf.reshape(h2, [4, 16]), w));
      });
    const grads = (descent: boolean) => {
      tf.env().set(CPU_KERNELS_FLAG, descent);
      const before = tf.memory().numTensors;
      const { value, grads: g } = tf.variableGrads(loss as () => tf.Scalar, [f1, f2, w]);
      const out = [value, g[f1.name], g[f2.name], g[w.name]].map((t) => Float32Array.from(t.dataSync()));
      tf.dispose([value, ...Object.values(g)]);
      expect(tf.memory().numTensors).toBe(before);
      tf.env().set(CPU_KERNELS_FLAG, false);
      return out;
    };
    const ours = grads(true);
    const stock = grads(false);
    for (let i = 0; i < ours.length; i++)
      for (let j = 0; j < ours[i].length; j++) expect(ours[i][j]).toBeCloseTo(stock[i][j], 5);
    tf.dispose([labels, f1, f2, w]);
  });
});
