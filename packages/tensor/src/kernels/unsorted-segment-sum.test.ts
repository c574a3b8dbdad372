import { afterAll, describe, expect, it } from 'vitest';
import { normals, onBackend, printParityLog, wasmVsCpu } from '../../test/parity';
import { tf } from '../index';

describe('UnsortedSegmentSum on wasm', () => {
  afterAll(() => printParityLog('UnsortedSegmentSum'));

  it("matches the cpu backend in gather's gradient: an embedding lookup with repeated indices", async () => {
    const table = normals([10, 6], 41);
    const ids = [3, 1, 3, 3, 0, 9, 1, 3];
    const r = normals([2, 4, 6], 42);
    const error = await wasmVsCpu('embedding [10,6], ids [2,4] with repeats', () => [
      tf.grad((t: tf.Tensor) =>
        tf.sum(
          tf.mul(tf.gather(t as tf.Tensor2D, tf.tensor2d(ids, [2, 4], 'int32')), tf.tensor3d(r, [2, 4, 6])),
        ),
      )(tf.tensor2d(table, [10, 6])),
    ]);
    expect(error).toBeLessThan(1e-4);
  });

  it("matches the cpu backend in gather's gradient along axis 1", async () => {
    const x = normals([3, 5, 2], 43);
    const r = normals([3, 4, 2], 44);
    const error = await wasmVsCpu('gather axis 1, ids [4,0,4,2]', () => [
      tf.grad((t: tf.Tensor) =>
        tf.sum(tf.mul(tf.gather(t, tf.tensor1d([4, 0, 4, 2], 'int32'), 1), tf.tensor3d(r, [3, 4, 2]))),
      )(tf.tensor3d(x, [3, 5, 2])),
    ]);
    expect(error).toBeLessThan(1e-4);
  });

  it('sums rows by id and drops ids outside [0, numSegments), as worked out by hand', async () => {
    const got = await onBackend('wasm', () =>
      tf.tidy(() =>
        tf
          .unsortedSegmentSum(
            tf.tensor2d([1, 2, 10, 20, 100, 200, 1000, 2000, 5, 5], [5, 2]),
            tf.tensor1d([2, 0, 2, -1, 7], 'int32'),
            3,
          )
          .arraySync(),
      ),
    );
    expect(got).toEqual([
      [10, 20],
      [0, 0],
      [101, 202],
    ]);
  });

  it('keeps int32 values int32', async () => {
    const [dtype, values] = await onBackend('wasm', () =>
      tf.tidy(() => {
        const out = tf.unsortedSegmentSum(
          tf.tensor1d([4, 5, 6], 'int32'),
          tf.tensor1d([1, 1, 0], 'int32'),
          2,
        );
        return [out.dtype, Array.from(out.dataSync())] as const;
      }),
    );
    expect(dtype).toBe('int32');
    expect(values).toEqual([6, 9]);
  });
});
