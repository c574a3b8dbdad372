import { afterEach, describe, expect, it } from 'vitest';
import { normals, onBackend, relativeError, valuesOn } from '../../test/parity';
import { tf } from '../index';
import { NATIVE_KERNELS_FLAG, nativeKernelInfo } from '../kernels/native-kernels';
import { columnSums, fusedRelu } from './native-elementwise';

const native = nativeKernelInfo().active;
afterEach(() => tf.env().set(NATIVE_KERNELS_FLAG, true));

/** Values with exact zeros, a NaN and both signs, and a weighting r for the gradient of sum(relu(x) · r). */
function reluCase() {
  const values = normals([9, 7], 3);
  values[5] = 0;
  values[11] = -0;
  values[20] = Number.NaN;
  return { x: tf.tensor(values, [9, 7]), r: tf.tensor(normals([9, 7], 4), [9, 7]) };
}

describe('fusedRelu', () => {
  it.runIf(native)("gives tf.relu's values and gradient, NaN included, in one kernel each way", async () => {
    const run = (relu: (x: tf.Tensor) => tf.Tensor) => () => {
      const { x, r } = reluCase();
      return [relu(x), tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(relu(xi), r)))(x)];
    };
    const expected = await valuesOn('cpu', run(tf.relu));
    const actual = await valuesOn(
      'wasm',
      run((x) => fusedRelu(x) as tf.Tensor),
    );
    actual.forEach((v, i) => {
      expect(Array.from(v)).toEqual(Array.from(expected[i]));
    });
    await onBackend('wasm', async () => {
      const { x, r } = reluCase();
      const before = tf.memory().numTensors;
      const profile = await tf.profile(() =>
        tf.dispose(tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(fusedRelu(xi) as tf.Tensor, r)))(x)),
      );
      const names = profile.kernels.map((k) => k.name);
      expect(names.filter((n) => n.startsWith('DescentRelu'))).toEqual(['DescentRelu', 'DescentReluGrad']);
      expect(names).not.toContain('Step');
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, r]);
    });
  });

  it('is undefined where the native kernels do not run, and names a non-tensor', async () => {
    await onBackend('cpu', () => expect(fusedRelu(tf.ones([2]))).toBeUndefined());
    await onBackend('wasm', () => {
      tf.env().set(NATIVE_KERNELS_FLAG, false);
      expect(fusedRelu(tf.ones([2]))).toBeUndefined();
    });
    expect(() => fusedRelu([1, 2] as never)).toThrow(/fusedRelu: x: expected a tensor/);
  });
});

describe('columnSums', () => {
  // 300 rows: two whole blocks of 128 and part of a third, for the native sums.
  const g = () => tf.tensor(normals([300, 70], 5), [300, 70]);

  for (const backend of ['wasm', 'cpu'])
    it(`sums columns as tf.sum does, gradient included (${backend})`, async () => {
      const r = () => tf.tensor(normals([70], 6), [70]);
      const run = (sums: (t: tf.Tensor) => tf.Tensor) => () => {
        const [gi, ri] = [g(), r()];
        return [sums(gi), tf.grad((t: tf.Tensor) => tf.sum(tf.mul(sums(t), ri)))(gi)];
      };
      const expected = await valuesOn(
        'cpu',
        run((t) => tf.sum(t, 0)),
      );
      const actual = await valuesOn(backend, run(columnSums));
      expect(relativeError(actual[0], expected[0])).toBeLessThan(1e-6);
      expect(Array.from(actual[1])).toEqual(Array.from(expected[1]));
    });

  it('names an argument that is not a 2-D tensor', () => {
    expect(() => columnSums(tf.ones([3]))).toThrow(/columnSums: g: expected a 2-D tensor/);
  });
});
