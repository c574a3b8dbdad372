import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../index';
import { gatherRowsTensor } from './gather-rows-tensor';

const data = Float32Array.from({ length: 5 * 4 }, (_, i) => i * 0.5 - 3);
const rowOf = (r: number) => Array.from(data.subarray(r * 4, r * 4 + 4));

for (const backend of ['wasm', 'cpu']) {
  describe(`gatherRowsTensor on ${backend}`, () => {
    afterAll(async () => {
      await tf.setBackend('wasm');
    });

    it('gives the rows at the indices, in order and repeated, in the shape asked for', async () => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const t = gatherRowsTensor(data, 4, [3, 0, 3, 4]);
      expect(t.shape).toEqual([4, 4]);
      expect(t.dtype).toBe('float32');
      expect(Array.from(t.dataSync())).toEqual([3, 0, 3, 4].flatMap(rowOf));
      const images = gatherRowsTensor(data, 4, Int32Array.from([1, 2]), [2, 1, 2, 2]);
      expect(images.shape).toEqual([2, 1, 2, 2]);
      expect(Array.from(images.dataSync())).toEqual([1, 2].flatMap(rowOf));
      expect(tf.memory().numTensors).toBe(before + 2);
      tf.dispose([t, images]);
    });
  });
}

it('names the argument that does not fit', () => {
  const before = tf.memory().numTensors;
  expect(() => gatherRowsTensor([1, 2] as never, 1, [0])).toThrow(
    /gatherRowsTensor: data: expected a Float32Array/,
  );
  expect(() => gatherRowsTensor(data, 3, [0])).toThrow(
    /gatherRowsTensor: cols: expected a positive integer dividing 20/,
  );
  expect(() => gatherRowsTensor(data, 4, [0, 5])).toThrow(
    /gatherRowsTensor: indices\[1\]: expected an integer in \[0, 5\), found 5/,
  );
  expect(() => gatherRowsTensor(data, 4, [0, 1.5])).toThrow(/indices\[1\]/);
  expect(() => gatherRowsTensor(data, 4, [0], [2, 4])).toThrow(
    /gatherRowsTensor: shape: expected dimensions whose product is 4/,
  );
  expect(tf.memory().numTensors).toBe(before);
});
