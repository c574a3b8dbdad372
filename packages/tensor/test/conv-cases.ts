// Shared by the Conv2DBackpropFilter tests (im2col and SIMD paths): calling the kernel, the
// cases' shape, and the gradients each case checks against the cpu backend.
import { tf } from '../src/index';
import { explicitPad, type Pad } from './depthwise-cases';
import { normals } from './parity';

/** The kernel called directly: tfjs-core keeps its conv2dBackpropFilter op out of the public API. */
export function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Record<string, unknown>): tf.Tensor {
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as tf.NamedAttrMap) as tf.Tensor;
}

export interface ConvCase {
  label: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
  rounding?: 'floor' | 'round' | 'ceil';
}

/** A row of a case table: label, x's shape, the filter's shape, strides, padding and, if any, rounding. */
export function convCase(
  label: string,
  x: ConvCase['x'],
  filter: ConvCase['filter'],
  strides: ConvCase['strides'],
  pad: Pad,
  rounding?: ConvCase['rounding'],
): ConvCase {
  return rounding === undefined
    ? { label, x, filter, strides, pad }
    : { label, x, filter, strides, pad, rounding };
}

/** Gradients of sum(conv2d(x, w) * r) for x and w: r makes dy a generic tensor, not ones. */
export function convGrads(c: ConvCase): () => tf.Tensor[] {
  const xs = normals(c.x, 1);
  const ws = normals(c.filter, 2);
  return () => {
    const x = tf.tensor4d(xs, c.x);
    const w = tf.tensor4d(ws, c.filter);
    const outShape = tf.conv2d(x, w, c.strides, c.pad, 'NHWC', 1, c.rounding).shape;
    const r = tf.tensor(normals(outShape, 3), outShape);
    const loss = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(
        tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad, 'NHWC', 1, c.rounding), r),
      );
    return tf.grads(loss)([x, w]);
  };
}

/** Padding, stride, rounding and kernel-shape cases shared by the convolution kernels' parity tests. */
export const convCases: ConvCase[] = [
  convCase('same, stride 1, 3x3, 1->8', [2, 9, 9, 1], [3, 3, 1, 8], 1, 'same'),
  convCase('valid, stride 1, 3x3, 3->4', [2, 8, 7, 3], [3, 3, 3, 4], 1, 'valid'),
  convCase('same, stride 2, 3x3, 2->5, odd sizes', [3, 7, 8, 2], [3, 3, 2, 5], 2, 'same'),
  convCase('valid, strides [2,1], 2x3 kernel', [2, 9, 6, 3], [2, 3, 3, 4], [2, 1], 'valid'),
  convCase(
    'explicit pads [1,2]x[0,1], 3x2 kernel',
    [2, 6, 5, 2],
    [3, 2, 2, 3],
    1,
    explicitPad([1, 2], [0, 1]),
  ),
  convCase('pad 2, stride 2, ceil rounding, 1x5', [2, 7, 9, 2], [1, 5, 2, 3], 2, 2, 'ceil'),
  convCase('1x1 kernel, 4->6', [2, 5, 5, 4], [1, 1, 4, 6], 1, 'valid'),
  convCase('same, 5x5 kernel on a 4x4 input', [2, 4, 4, 3], [5, 5, 3, 2], 1, 'same'),
  convCase('pad 2 around a 1x1 kernel (wider than the filter)', [2, 4, 5, 3], [1, 1, 3, 2], 1, 2),
];
