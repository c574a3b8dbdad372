import { afterAll, describe, expect, it } from 'vitest';
import { gradientByBasis } from '../../test/depthwise-cases';
import { normals, onBackend, parityLog, printParityLog, relativeError, wasmVsCpu } from '../../test/parity';
import { tf } from '../index';

describe('DepthwiseConv2dNativeBackpropInput on wasm', () => {
  afterAll(() => printParityLog('DepthwiseConv2dNativeBackpropInput'));

  it('matches the cpu backend for the input gradient alone, multiplier 4, stride 2', async () => {
    const xs = normals([2, 9, 9, 2], 35);
    const ws = normals([3, 3, 2, 4], 36);
    const r = normals([2, 5, 5, 8], 37);
    const error = await wasmVsCpu('depthwise dx only: same, stride 2, multiplier 4', () => [
      tf.grad((x: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.depthwiseConv2d(x as tf.Tensor4D, tf.tensor4d(ws, [3, 3, 2, 4]), 2, 'same'),
            tf.tensor4d(r, [2, 5, 5, 8]),
          ),
        ),
      )(tf.tensor4d(xs, [2, 9, 9, 2])),
    ]);
    expect(error).toBeLessThan(1e-4);
  });

  it('honours dilation in the input gradient (checked against the forward op, entry by entry)', async () => {
    const xShape: [number, number, number, number] = [1, 6, 7, 2];
    const filterShape: [number, number, number, number] = [2, 3, 2, 3];
    const ws = normals(filterShape, 33);
    const outShape: [number, number, number, number] = [1, 6 - 2, 7 - 4, 6];
    const dys = normals(outShape, 34);
    const reference = await onBackend('cpu', () =>
      gradientByBasis(
        xShape.reduce((a, b) => a * b),
        (x) =>
          tf.depthwiseConv2d(tf.tensor4d(x, xShape), tf.tensor4d(ws, filterShape), 1, 'valid', 'NHWC', 2),
        dys,
      ),
    );
    const got = await onBackend('wasm', () =>
      tf.tidy(() =>
        (
          tf
            .engine()
            .runKernel(
              'DepthwiseConv2dNativeBackpropInput',
              { dy: tf.tensor4d(dys, outShape), filter: tf.tensor4d(ws, filterShape) },
              { strides: 1, pad: 'valid', dilations: 2, inputShape: xShape },
            ) as tf.Tensor
        ).dataSync(),
      ),
    );
    const error = relativeError(got, reference);
    parityLog.push({ label: 'depthwise dx, dilation 2, multiplier 3 (vs forward-op basis)', error });
    expect(error).toBeLessThan(1e-4);
  });
});
