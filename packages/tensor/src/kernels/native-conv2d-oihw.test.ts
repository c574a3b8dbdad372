import { afterEach, describe, expect, it } from 'vitest';
import { normals, onBackend, relativeError, wasmVsCpu } from '../../test/parity';
import { tf } from '../index';
import { type ConvPad, conv2dChannelsLast } from './conv2d-channels-last';
import { NATIVE_KERNELS_FLAG, nativeKernelInfo } from './native-kernels';

const primitives = nativeKernelInfo().library?.includes('oneDNN primitives') ?? false;
afterEach(() => tf.env().set(NATIVE_KERNELS_FLAG, true));

interface Case {
  x: [number, number, number, number];
  weight: [number, number, number, number];
  strides: [number, number];
  pad: ConvPad;
  bias: boolean;
}

const cases: Case[] = [
  // A small CNN's layers: 'same' padding, then more channels.
  { x: [4, 10, 10, 1], weight: [8, 1, 3, 3], strides: [1, 1], pad: 'same', bias: true },
  { x: [3, 7, 7, 8], weight: [16, 8, 3, 3], strides: [1, 1], pad: 'same', bias: true },
  // Stride 2 with rows left unread, a rectangular filter, no bias.
  { x: [2, 9, 8, 3], weight: [5, 3, 2, 3], strides: [2, 2], pad: 'valid', bias: false },
  // Explicit padding, uneven.
  {
    x: [2, 6, 5, 4],
    weight: [6, 4, 3, 3],
    strides: [1, 2],
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
    bias: true,
  },
];

/** The convolution's output, and the gradients of sum(y · r) for x, the weight and the bias. */
function run(c: Case) {
  return () => {
    const x = tf.tensor4d(normals(c.x, 1), c.x);
    const weight = tf.tensor(normals(c.weight, 2), c.weight);
    const bias = c.bias ? tf.tensor1d(normals([c.weight[0]], 3)) : null;
    const conv = (xi: tf.Tensor, w: tf.Tensor, b: tf.Tensor | null) =>
      conv2dChannelsLast(xi as tf.Tensor4D, w, b, c.strides, c.pad);
    const y = conv(x, weight, bias);
    const r = tf.tensor(normals(y.shape, 4), y.shape);
    const loss = c.bias
      ? (xi: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(xi, w, b), r))
      : (xi: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(conv(xi, w, null), r));
    const grads = tf.grads(loss)(bias ? [x, weight, bias] : [x, weight]);
    return [y, ...grads];
  };
}

const label = (c: Case) =>
  `x ${c.x}, weight ${c.weight}, stride ${c.strides}, pad ${JSON.stringify(c.pad)}${c.bias ? ', bias' : ''}`;

describe('conv2dChannelsLast in PyTorch layout, straight in oneDNN', () => {
  for (const c of cases)
    it(`matches the cpu backend's values and gradients: ${label(c)}`, async () => {
      // wasm runs with the native kernels and without (the transposing route); cpu is the reference.
      expect(await wasmVsCpu(`conv oihw ${label(c)}`, run(c))).toBeLessThan(2e-5);
    });

  it.runIf(primitives)('runs one kernel forward and two back, no transpose, and leaks nothing', async () => {
    await onBackend('wasm', async () => {
      const c = cases[1];
      const before = tf.memory().numTensors;
      const dataIds = tf.engine().backend.numDataIds();
      const profile = await tf.profile(() => {
        tf.tidy(() => {
          run(c)();
        });
      });
      const names = profile.kernels.map((k) => k.name);
      // run() convolves twice: once for y, once inside the loss it differentiates.
      expect(names.filter((n) => /Conv|Transpose|ColumnSums/.test(n))).toEqual([
        'DescentConv2dNhwcOihw',
        'DescentConv2dNhwcOihw',
        'DescentConv2dNhwcOihwGrad',
        'DescentConv2dNhwcOihwInputGrad',
      ]);
      expect(tf.memory().numTensors).toBe(before);
      expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    });
  });

  it.runIf(primitives)("leaves out the input's gradient where the tape does not ask for it", async () => {
    await onBackend('wasm', async () => {
      const c = cases[0];
      const x = tf.tensor4d(normals(c.x, 1), c.x);
      const weight = tf.tensor(normals(c.weight, 2), c.weight);
      const bias = tf.tensor1d(normals([c.weight[0]], 3));
      const profile = await tf.profile(() =>
        tf.dispose(
          tf.grads((w: tf.Tensor, b: tf.Tensor) => tf.sum(conv2dChannelsLast(x, w, b, c.strides, c.pad)))([
            weight,
            bias,
          ]),
        ),
      );
      const names = profile.kernels.map((k) => k.name);
      expect(names).toContain('DescentConv2dNhwcOihwGrad');
      expect(names).not.toContain('DescentConv2dNhwcOihwInputGrad');
      tf.dispose([x, weight, bias]);
    });
  });

  it.runIf(primitives)('gives the transposing route the same values, to float32 rounding', async () => {
    const c = cases[3];
    const native = await onBackend('wasm', () => tf.tidy(() => run(c)().map((t) => t.dataSync())));
    tf.env().set(NATIVE_KERNELS_FLAG, false);
    const stock = await onBackend('wasm', () => tf.tidy(() => run(c)().map((t) => t.dataSync())));
    native.forEach((v, i) => {
      expect(relativeError(v, stock[i])).toBeLessThan(2e-6);
    });
  });
});
