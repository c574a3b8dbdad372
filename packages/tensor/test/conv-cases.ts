// Shared by the Conv2DBackpropFilter tests (im2col and SIMD paths): calling the kernel, the
// cases' shape, and the gradients each case checks against the cpu backend.
import { tf } from '../src/index';
import type { Pad } from './depthwise-cases';
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
