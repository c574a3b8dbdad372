import { afterEach, describe, expect, it } from 'vitest';
import { normals, onBackend, valuesOn } from '../../test/parity';
import { tf } from '../index';
import { NATIVE_KERNELS_FLAG, nativeKernelInfo } from '../kernels/native-kernels';
import { fusedMaxPool2d } from './native-max-pool';

const native = nativeKernelInfo().active;
afterEach(() => tf.env().set(NATIVE_KERNELS_FLAG, true));

type Pair = [number, number];
interface Case {
  shape: [number, number, number, number];
  kernelSize: Pair;
  stride: Pair;
  padding: Pair;
}

const cases: Case[] = [
  // A CNN's pool; odd sizes leave a last row and column in no window.
  { shape: [3, 7, 9, 12], kernelSize: [2, 2], stride: [2, 2], padding: [0, 0] },
  // Padding, and 70 channels: a block of 64 and part of another.
  { shape: [2, 6, 5, 70], kernelSize: [3, 3], stride: [3, 3], padding: [1, 1] },
  // Gaps between windows, and a window wider than tall.
  { shape: [2, 8, 11, 3], kernelSize: [2, 3], stride: [3, 4], padding: [1, 0] },
];

/** Values in steps of 0.5 (so windows hold ties), with zeros of both signs, a NaN and a whole NaN window. */
function input({ shape }: Case): tf.Tensor4D {
  const values = normals(shape, 7).map((v) => Math.round(v * 2) / 2);
  values[0] = -0;
  values[shape[3]] = 0;
  values[17] = Number.NaN;
  const c = shape[3];
  const w = shape[2];
  const row = w * c;
  // Input cell (2, 2), channel 1, and its neighbours in a 2×2 window: all NaN.
  for (const at of [2 * row + 2 * c, 2 * row + 3 * c, 3 * row + 2 * c, 3 * row + 3 * c])
    values[at + 1] = Number.NaN;
  return tf.tensor4d(values, shape);
}

/** tfjs's ops: tf.maxPool with the padding explicit, then tf.relu. */
function opsPool({ kernelSize, stride, padding }: Case, relu: boolean) {
  return (x: tf.Tensor4D) => {
    const pad: [Pair, Pair, Pair, Pair] = [
      [0, 0],
      [padding[0], padding[0]],
      [padding[1], padding[1]],
      [0, 0],
    ];
    const y = tf.maxPool(x, kernelSize, stride, pad);
    return relu ? tf.relu(y) : y;
  };
}

const fused =
  ({ kernelSize, stride, padding }: Case, relu: boolean) =>
  (x: tf.Tensor4D) =>
    fusedMaxPool2d(x, kernelSize, stride, padding, relu) as tf.Tensor4D;

/** The pool's values, and the gradient of sum(pool(x) · r). */
function run(c: Case, pool: (x: tf.Tensor4D) => tf.Tensor4D) {
  return () => {
    const x = input(c);
    const y = pool(x);
    const r = tf.tensor(normals(y.shape, 9), y.shape);
    return [y, tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(pool(xi as tf.Tensor4D), r)))(x)];
  };
}

describe('fusedMaxPool2d', () => {
  for (const c of cases)
    for (const relu of [false, true])
      it.runIf(native)(
        `gives tfjs's pool${relu ? ' and ReLU' : ''}, values and gradient, to the bit: ${c.shape} window ${c.kernelSize} stride ${c.stride} padding ${c.padding}`,
        async () => {
          const expected = await valuesOn('cpu', run(c, opsPool(c, relu)));
          const actual = await valuesOn('wasm', run(c, fused(c, relu)));
          expect(Array.from(actual[0])).toEqual(Array.from(expected[0]));
          expect(Array.from(actual[1])).toEqual(Array.from(expected[1]));
        },
      );

  it.runIf(native)('runs one kernel each way and leaks nothing', async () => {
    await onBackend('wasm', async () => {
      const c = cases[0];
      const x = input(c);
      const before = tf.memory().numTensors;
      const profile = await tf.profile(() =>
        tf.dispose(tf.grad((xi: tf.Tensor) => tf.sum(fused(c, true)(xi as tf.Tensor4D)))(x)),
      );
      const names = profile.kernels.map((k) => k.name);
      expect(names.filter((n) => /Pool|Relu|Step/.test(n))).toEqual(['DescentMaxPool', 'DescentMaxPoolGrad']);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    });
  });

  it.runIf(native)(
    "takes tfjs's ops for the gradient when the native kernels stop between the passes",
    async () => {
      const c = cases[1];
      const expected = await valuesOn('cpu', run(c, opsPool(c, true)));
      const actual = await valuesOn('wasm', () => {
        const x = input(c);
        const y = fused(c, true)(x);
        const r = tf.tensor(normals(y.shape, 9), y.shape);
        const grad = tf.grad((xi: tf.Tensor) => {
          const out = fused(c, true)(xi as tf.Tensor4D);
          tf.env().set(NATIVE_KERNELS_FLAG, false);
          return tf.sum(tf.mul(out, r));
        })(x);
        return [y, grad];
      });
      expect(Array.from(actual[0])).toEqual(Array.from(expected[0]));
      expect(Array.from(actual[1])).toEqual(Array.from(expected[1]));
    },
  );

  it('is undefined where it does not run, and names a wrong argument', async () => {
    const x = () => tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
    await onBackend('cpu', () => expect(fusedMaxPool2d(x(), [2, 2], [2, 2], [0, 0], false)).toBeUndefined());
    await onBackend('wasm', () => {
      // Overlapping windows, and padding past half the window.
      expect(fusedMaxPool2d(x(), [3, 3], [2, 2], [0, 0], false)).toBeUndefined();
      expect(fusedMaxPool2d(x(), [2, 2], [2, 2], [2, 0], false)).toBeUndefined();
      tf.env().set(NATIVE_KERNELS_FLAG, false);
      expect(fusedMaxPool2d(x(), [2, 2], [2, 2], [0, 0], false)).toBeUndefined();
    });
    expect(() => fusedMaxPool2d(tf.zeros([4, 4]) as never, [2, 2], [2, 2], [0, 0], false)).toThrow(
      /fusedMaxPool2d: x: expected an NHWC tensor of rank 4/,
    );
    expect(() => fusedMaxPool2d(x(), [2, 2.5] as never, [2, 2], [0, 0], false)).toThrow(
      /fusedMaxPool2d: kernelSize: expected two non-negative integers/,
    );
    expect(() => fusedMaxPool2d(x(), [2, 2], [2, 2], [0, 0], 1 as never)).toThrow(
      /fusedMaxPool2d: relu: expected a boolean/,
    );
  });
});
