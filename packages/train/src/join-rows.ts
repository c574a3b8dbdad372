import type { Matrix } from '@descent/datasets';
import { type Tensor, tf } from '@descent/tensor';

/** Joins per-batch output rows into one matrix and frees the batch tensors. */
export function joinRows(chunks: Float32Array[], outputs: Tensor[], rows: number): Matrix {
  const cols = outputs.length ? (outputs[0].shape[1] ?? 1) : 1;
  tf.dispose(outputs);
  const data = new Float32Array(rows * cols);
  let offset = 0;
  for (const c of chunks) {
    data.set(c, offset);
    offset += c.length;
  }
  return { data, rows, cols };
}

/** Puts per-batch outputs back in row order, so metrics compare them with the right targets. */
export function joinOutputs(outputs: Float32Array[], order: Int32Array[], rows: number): Matrix {
  const cols = outputs.length ? outputs[0].length / order[0].length : 1;
  const data = new Float32Array(rows * cols);
  outputs.forEach((out, b) => {
    order[b].forEach((row, i) => {
      data.set(out.subarray(i * cols, (i + 1) * cols), row * cols);
    });
  });
  return { data, rows, cols };
}
