import * as tf from '@tensorflow/tfjs-core';
import { argumentError } from '../errors';
import { hostMemory } from './host-memory';

/**
 * The rows of a row-major float32 matrix (`data`, `cols` wide) at `indices`, in that order, as a
 * float32 tensor of `shape` ([indices.length, cols] unless given: e.g. [n, 1, 28, 28] for images
 * of 784 pixels). A training batch, made where it will be used: on the WASM and cpu backends the
 * rows are copied straight into the tensor's memory, instead of into a fresh array that tfjs then
 * copies again (and that the garbage collector must zero, track and free: for a batch of 64 MNIST
 * images, 200 KB a step). Elsewhere it gathers into an array and uploads it.
 */
export function gatherRowsTensor(
  data: Float32Array,
  cols: number,
  indices: ArrayLike<number>,
  shape?: readonly number[],
): tf.Tensor {
  if (!(data instanceof Float32Array)) throw argumentError('gatherRowsTensor: data', 'a Float32Array', data);
  if (!Number.isInteger(cols) || cols < 1 || data.length % cols !== 0)
    throw argumentError('gatherRowsTensor: cols', `a positive integer dividing ${data.length}`, cols);
  if (indices == null || typeof indices.length !== 'number')
    throw argumentError('gatherRowsTensor: indices', 'an array of row indices', indices);
  const rows = data.length / cols;
  const n = indices.length;
  for (let i = 0; i < n; i++) {
    const r = indices[i];
    if (!Number.isInteger(r) || r < 0 || r >= rows)
      throw argumentError(`gatherRowsTensor: indices[${i}]`, `an integer in [0, ${rows})`, r);
  }
  const outShape = shape ? [...shape] : [n, cols];
  const size = outShape.reduce((a, b) => a * b, 1);
  if (!outShape.every((d) => Number.isInteger(d) && d >= 0) || size !== n * cols)
    throw argumentError('gatherRowsTensor: shape', `dimensions whose product is ${n * cols}`, shape);
  const memory = hostMemory();
  if (memory) {
    const info = memory.alloc(outShape);
    const out = memory.wrap(info);
    // The view after the allocation: it may have grown the WASM heap.
    const view = memory.view(out) as Float32Array;
    for (let i = 0; i < n; i++) view.set(data.subarray(indices[i] * cols, (indices[i] + 1) * cols), i * cols);
    return out;
  }
  const values = new Float32Array(n * cols);
  for (let i = 0; i < n; i++) values.set(data.subarray(indices[i] * cols, (indices[i] + 1) * cols), i * cols);
  return tf.tensor(values, outShape, 'float32');
}
