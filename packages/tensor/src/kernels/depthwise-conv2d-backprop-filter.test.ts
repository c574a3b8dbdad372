import { afterAll, describe, expect, it } from 'vitest';
import { depthwiseCases, depthwiseGrads, gradientByBasis } from '../../test/depthwise-cases';
import { normals, onBackend, parityLog, printParityLog, relativeError, wasmVsCpu } from '../../test/parity';
import { tf } from '../index';

describe('DepthwiseConv2dNativeBackpropFilter on wasm', () => {
  afterAll(() => printParityLog('DepthwiseConv2dNativeBackpropFilter (+Input)'));

  for (const c of depthwiseCases) {
    it(`matches the cpu backend through depthwiseConv2d's gradient (dx and dW): ${c.label}`, async () => {
      expect(await wasmVsCpu(`depthwise dx,dW: ${c.label}`, depthwiseGrads(c))).toBeLessThan(1e-4);
    });
  }

  it('honours dilation in the filter gradient (checked against the forward op, entry by entry)', async () => {
    const xShape: [number, number, number, number] = [2, 7, 6, 2];
    const filterShape: [number, number, number, number] = [3, 2, 2, 2];
    const attrs = { strides: 1, pad: 'same' as const, dilations: [2, 3] as [number, number] };
    const xs = normals(xShape, 31);
    const outShape: [number, number, number, number] = [2, 7, 6, 4];
    const dys = normals(outShape, 32);
    const reference = await onBackend('cpu', () =>
      gradientByBasis(
        filterShape.reduce((a, b) => a * b),
        (w) =>
          tf.depthwiseConv2d(tf.tensor4d(xs, xShape), tf.tensor4d(w, filterShape), 1, 'same', 'NHWC', [2, 3]),
        dys,
      ),
    );
    const got = await onBackend('wasm', () =>
      tf.tidy(() =>
        (
          tf
            .engine()
            .runKernel(
              'DepthwiseConv2dNativeBackpropFilter',
              { x: tf.tensor4d(xs, xShape), dy: tf.tensor4d(dys, outShape) },
              { ...attrs, filterShape },
            ) as tf.Tensor
        ).dataSync(),
      ),
    );
    const error = relativeError(got, reference);
    parityLog.push({ label: 'depthwise dW, dilations [2,3], multiplier 2 (vs forward-op basis)', error });
    expect(error).toBeLessThan(1e-4);
  });
});
