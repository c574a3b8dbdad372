// Shared by the two depthwise kernel tests: the cases and a cpu reference built from the forward op.
import { tf } from '../src/index';
import { dot, normals } from './parity';

export type Pad =
  | 'same'
  | 'valid'
  | number
  | [[number, number], [number, number], [number, number], [number, number]];

/** NHWC explicit padding from [top, bottom] and [left, right]; batch and channels are never padded. */
export const explicitPad = (rows: [number, number], cols: [number, number]): Pad => [
  [0, 0],
  rows,
  cols,
  [0, 0],
];

export interface DepthwiseCase {
  label: string;
  x: [number, number, number, number];
  /** [kh, kw, inChannels, channelMultiplier] */
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

/** A row of a case table: label, x's shape, the filter's shape, strides, padding. */
export const depthwiseCase = (
  label: string,
  x: DepthwiseCase['x'],
  filter: DepthwiseCase['filter'],
  strides: DepthwiseCase['strides'],
  pad: Pad,
): DepthwiseCase => ({ label, x, filter, strides, pad });

export const depthwiseCases: DepthwiseCase[] = [
  depthwiseCase('same, stride 1, 3x3, 4 channels, multiplier 1', [2, 7, 7, 4], [3, 3, 4, 1], 1, 'same'),
  depthwiseCase('valid, stride 2, 3x3, multiplier 2', [2, 9, 8, 3], [3, 3, 3, 2], 2, 'valid'),
  depthwiseCase('same, stride 2, 2x3 kernel, multiplier 3', [3, 6, 7, 2], [2, 3, 2, 3], 2, 'same'),
  depthwiseCase('pad 1, strides [1,2], 3x1 kernel, multiplier 2', [2, 5, 8, 3], [3, 1, 3, 2], [1, 2], 1),
  depthwiseCase(
    'explicit pads [2,0]x[1,1], multiplier 1',
    [2, 6, 5, 3],
    [3, 3, 3, 1],
    1,
    explicitPad([2, 0], [1, 1]),
  ),
];

/** Gradients of sum(depthwiseConv2d(x, w) * r) for x and w. */
export function depthwiseGrads(c: DepthwiseCase): () => tf.Tensor[] {
  const xs = normals(c.x, 21);
  const ws = normals(c.filter, 22);
  return () => {
    const x = tf.tensor4d(xs, c.x);
    const w = tf.tensor4d(ws, c.filter);
    const outShape = tf.depthwiseConv2d(x, w, c.strides, c.pad).shape;
    const r = tf.tensor(normals(outShape, 23), outShape);
    return tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r)),
    )([x, w]);
  };
}

/**
 * The gradient of <dy, conv(x, w)> with respect to one argument, entry by entry, from the forward
 * op alone: the convolution is linear in each argument, so entry k is <dy, conv(.. e_k ..)>.
 * This is how the dilated cases are checked; tfjs's cpu kernels ignore dilation in their loops.
 */
export function gradientByBasis(
  size: number,
  forward: (unit: Float32Array) => tf.Tensor,
  dy: Float32Array,
): Float32Array {
  const out = new Float32Array(size);
  const unit = new Float32Array(size);
  for (let k = 0; k < size; k++) {
    unit.fill(0);
    unit[k] = 1;
    out[k] = dot(
      tf.tidy(() => forward(unit).dataSync()),
      dy,
    );
  }
  return out;
}
