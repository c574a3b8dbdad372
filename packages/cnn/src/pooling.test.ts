import { gradCheck, leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { forwardBackends, onBackend } from '../test/backends';
import { maxAbsDiff, type Nchw, pool2dReference, randomNchw } from '../test/reference';
import { AvgPool2d } from './avg-pool2d';
import { GlobalAvgPool2d } from './global-avg-pool2d';
import { MaxPool2d } from './max-pool2d';

const tensorOf = (a: Nchw) => tf.tensor4d(a.data, a.shape);

const geometries: { k: [number, number]; stride: [number, number]; padding: [number, number] }[] = [
  { k: [2, 2], stride: [2, 2], padding: [0, 0] },
  { k: [3, 3], stride: [2, 2], padding: [1, 1] },
  { k: [2, 3], stride: [1, 2], padding: [1, 0] },
];

describe('MaxPool2d and AvgPool2d forward', () => {
  for (const backend of forwardBackends) {
    it(`match plain-loop pooling on ${backend}`, async () => {
      await onBackend(backend, () => {
        geometries.forEach(({ k, stride, padding }, i) => {
          const x = randomNchw([2, 3, 7, 6], 30 + i);
          const input = tensorOf(x);
          const layers = [
            ['max', new MaxPool2d(k, { stride, padding }), true],
            ['avg', new AvgPool2d(k, { stride, padding }), true],
            ['avg', new AvgPool2d(k, { stride, padding, countIncludePad: false }), false],
          ] as const;
          for (const [kind, layer, countIncludePad] of layers) {
            const label = `${layer.toJSON().type} ${JSON.stringify({ k, stride, padding, countIncludePad })}`;
            const expected = pool2dReference(x, kind, k, stride, padding, countIncludePad);
            const guard = leakGuard();
            const y = layer.forward(input);
            expect(y.shape, label).toEqual(expected.shape);
            expect(maxAbsDiff(y.dataSync(), expected.data), label).toBeLessThan(1e-5);
            y.dispose();
            guard.check(label);
          }
          input.dispose();
        });
      });
    });
  }

  it('keeps the max of each 2x2 block of a small worked example', () => {
    const x = tf.tensor4d(
      [
        [1, 3, 2, 1],
        [4, 2, 0, 1],
        [5, 1, 7, 8],
        [0, 6, 2, 3],
      ].flat(),
      [1, 1, 4, 4],
    );
    const max = new MaxPool2d(2).forward(x);
    const avg = new AvgPool2d(2).forward(x);
    expect(Array.from(max.dataSync())).toEqual([4, 2, 6, 8]);
    expect(Array.from(avg.dataSync())).toEqual([2.5, 1, 3, 5]);
    tf.dispose([x, max, avg]);
  });

  it('describe themselves, default the stride to the kernel size and reject bad options naming the layer', () => {
    expect(new MaxPool2d(2).toJSON()).toEqual({
      type: 'MaxPool2d',
      kernelSize: [2, 2],
      stride: [2, 2],
      padding: [0, 0],
      ceilMode: false,
    });
    expect(new AvgPool2d([3, 2], { stride: 1, padding: [1, 0], countIncludePad: false }).toJSON()).toEqual({
      type: 'AvgPool2d',
      kernelSize: [3, 2],
      stride: [1, 1],
      padding: [1, 0],
      countIncludePad: false,
      ceilMode: false,
    });
    expect(() => new MaxPool2d(2, { padding: 2 })).toThrow(
      'MaxPool2d(2): padding: expected at most half the kernel size [2, 2], found [2, 2]',
    );
    expect(() => new AvgPool2d(0)).toThrow('AvgPool2d(0): kernelSize: expected a positive integer');
    expect(() => new MaxPool2d(2, { stride: 1.5 })).toThrow(
      'MaxPool2d(2): stride: expected a positive integer',
    );
    const pool = new MaxPool2d(3);
    const small = tf.zeros([1, 2, 2, 8]);
    const flat = tf.zeros([2, 10]);
    expect(() => pool.forward(small)).toThrow(
      'MaxPool2d(3): input: expected height and width of at least 3 x 3 (the kernel size minus padding), found 2 x 8',
    );
    expect(() => pool.forward(flat)).toThrow(
      'MaxPool2d(3): input: expected shape [N, C, H, W], found [2, 10]',
    );
    tf.dispose([small, flat]);
  });
});

describe('MaxPool2d gradient', () => {
  // tfjs-backend-wasm 4.22's own MaxPoolGrad sends an all-negative window's gradient to its first
  // cell; MaxPool2d must send it to the maximum on every backend (on wasm, @descent/tensor
  // replaces that kernel).
  for (const backend of forwardBackends) {
    it(`goes to each window's maximum, also when the window is all negative, on ${backend}`, async () => {
      await onBackend(backend, () => {
        const x = tf.tensor4d([-4, -3, -2, -1, 1, 2, 3, 0.5], [1, 2, 2, 2]);
        const guard = leakGuard();
        const g = tf.grad((input: tf.Tensor) =>
          tf.sum(tf.mul(new MaxPool2d(2).forward(input), tf.tensor1d([2, 3]).reshape([1, 2, 1, 1]))),
        )(x);
        expect(Array.from(g.dataSync())).toEqual([0, 0, 0, 2, 0, 0, 3, 0]);
        g.dispose();
        guard.check('MaxPool2d backward');
        x.dispose();
      });
    });
  }
});

describe('GlobalAvgPool2d', () => {
  it('averages each feature map to one number: [N, C, H, W] → [N, C]', () => {
    const x = randomNchw([2, 3, 4, 5], 40);
    const input = tensorOf(x);
    const y = new GlobalAvgPool2d().forward(input);
    expect(y.shape).toEqual([2, 3]);
    const expected = pool2dReference(x, 'avg', [4, 5], [1, 1], [0, 0]).data;
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-6);
    const flat = tf.zeros([2, 3]);
    expect(() => new GlobalAvgPool2d().forward(flat)).toThrow(
      'GlobalAvgPool2d: input: expected shape [N, C, H, W], found [2, 3]',
    );
    tf.dispose([input, y, flat]);
  });
});

describe('pooling gradients', () => {
  // Distinct values keep max pooling differentiable: no ties, no kink within ±eps.
  const distinct = (shape: [number, number, number, number], seed: number) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const order = randomNchw([1, 1, 1, n], seed).data.map((v, i) => [v, i]);
    order.sort((a, b) => a[0] - b[0]);
    const data = new Array<number>(n);
    order.forEach(([, i], rank) => {
      data[i] = rank * 0.1 - n * 0.05;
    });
    return tf.tensor4d(data, shape);
  };
  const layers = [
    new MaxPool2d(2),
    new MaxPool2d(3, { stride: 2, padding: 1 }),
    new AvgPool2d(2),
    new AvgPool2d(3, { stride: 2, padding: 1 }),
    new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
    new GlobalAvgPool2d(),
  ];
  for (const layer of layers) {
    it(`match finite differences: ${JSON.stringify(layer.toJSON())}`, () => {
      const x = distinct([2, 2, 5, 5], 50);
      const probe = layer.forward(x);
      const r = tf.tensor(randomNchw([1, 1, 1, probe.size], 51).data, probe.shape);
      probe.dispose();
      const guard = leakGuard();
      const result = gradCheck((input) => tf.sum(tf.mul(layer.forward(input), r)) as tf.Scalar, [x]);
      guard.check('gradCheck');
      expect(result.ok, JSON.stringify(result.worst)).toBe(true);
      tf.dispose([x, r]);
    });
  }
});
