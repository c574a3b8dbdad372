import { describe, expect, it } from 'vitest';
import { tf } from '../index';
import { leakGuard } from '../leak-guard';
import {
  avgPool2dChannelsLast,
  batchNormChannelsLast,
  channelMomentsChannelsLast,
  maxPool2dChannelsLast,
  toChannelsFirst,
  toChannelsLast,
} from './index';

const images = (shape: [number, number, number, number], seed: number) =>
  tf.randomNormal(shape, 0, 1, 'float32', seed) as tf.Tensor4D;

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('channels-last ops', () => {
  it('move between NCHW and NHWC, by a reshape where the order of the values stays', async () => {
    const x = images([2, 3, 4, 5], 1);
    const one = images([2, 1, 4, 5], 2);
    const guard = leakGuard();
    const nhwc = toChannelsLast(x);
    expect(nhwc.shape).toEqual([2, 4, 5, 3]);
    tf.tidy(() => {
      expect(values(nhwc)).toEqual(values(tf.transpose(x, [0, 2, 3, 1])));
      expect(values(toChannelsFirst(nhwc))).toEqual(values(x));
    });
    const profile = await tf.profile(() => tf.tidy(() => toChannelsFirst(toChannelsLast(one))).dispose());
    expect(profile.kernels.map((k) => k.name)).not.toContain('Transpose');
    tf.dispose([nhwc]);
    guard.check('layout');
    tf.dispose([x, one]);
  });

  it('max-pool with padding counted as -∞, and relu after the pool equal to relu before it', () => {
    const x = tf.tensor4d([-3, -1, -2, -4, 1, -1, -5, 2, -2], [1, 3, 3, 1]);
    const y = images([2, 6, 6, 3], 3);
    const guard = leakGuard();
    const geometry = { kernelSize: [2, 2] as [number, number], stride: [2, 2] as [number, number] };
    const padded = maxPool2dChannelsLast(x, { ...geometry, padding: [1, 1] });
    // Windows [-3], [-1, -2], [-4, -5], [1, -1, -2, 2]: the all-negative ones stay negative.
    expect(values(padded)).toEqual([-3, -1, -4, 2]);
    const after = maxPool2dChannelsLast(y, { ...geometry, padding: [0, 0] }, true);
    const before = tf.tidy(() =>
      maxPool2dChannelsLast(tf.relu(y) as tf.Tensor4D, { ...geometry, padding: [0, 0] }),
    );
    expect(values(after)).toEqual(values(before));
    tf.dispose([padded, after, before]);
    guard.check('max pool');
    tf.dispose([x, y]);
  });

  it('average-pools padding as real zeros, or over the real pixels without countIncludePad', () => {
    const x = tf.ones([1, 2, 2, 1]) as tf.Tensor4D;
    const geometry = {
      kernelSize: [2, 2] as [number, number],
      stride: [1, 1] as [number, number],
      padding: [1, 1] as [number, number],
    };
    const guard = leakGuard();
    const zeros = avgPool2dChannelsLast(x, geometry);
    expect(values(zeros)).toEqual([0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25]);
    const real = avgPool2dChannelsLast(x, geometry, false);
    expect(values(real)).toEqual(new Array(9).fill(1));
    tf.dispose([zeros, real]);
    guard.check('avg pool');
    x.dispose();
  });

  it('batch-normalises each channel with its statistics, scaled and shifted', () => {
    const x = images([3, 2, 2, 2], 4);
    const guard = leakGuard();
    const moments = channelMomentsChannelsLast(x);
    const weight = tf.tensor1d([2, 0.5]);
    const bias = tf.tensor1d([1, -1]);
    const y = batchNormChannelsLast(x, moments, weight, bias, 1e-5);
    const xs = values(x);
    for (let c = 0; c < 2; c++) {
      const channel = xs.filter((_, i) => i % 2 === c);
      const mean = channel.reduce((a, b) => a + b, 0) / channel.length;
      const variance = channel.reduce((a, b) => a + (b - mean) ** 2, 0) / channel.length;
      expect(moments.mean.dataSync()[c]).toBeCloseTo(mean, 5);
      expect(moments.variance.dataSync()[c]).toBeCloseTo(variance, 5);
      values(y)
        .filter((_, i) => i % 2 === c)
        .forEach((v, i) => {
          const expected = ((channel[i] - mean) / Math.sqrt(variance + 1e-5)) * [2, 0.5][c] + [1, -1][c];
          expect(v).toBeCloseTo(expected, 4);
        });
    }
    const plain = batchNormChannelsLast(x, moments, null, null, 1e-5);
    expect(plain.shape).toEqual([3, 2, 2, 2]);
    tf.dispose([y, plain, weight, bias, moments.mean, moments.variance]);
    guard.check('batch norm');
    x.dispose();
  });
});
