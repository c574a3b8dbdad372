// Shared by the two depthwise kernel tests: the cases and a cpu reference built from the forward op.
import { tf } from '../src/index';
import { dot, normals } from './parity';

export type Pad =
  | 'same'
  | 'valid'
  | number
  | [[number, number], [number, number], [number, number], [number, number]];

export interface DepthwiseCase {
  label: string;
  x: [number, number, number, number];
  /** [kh, kw, inChannels, channelMultiplier] */
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

export const depthwiseCases: DepthwiseCase[] = [
  {
    label: 'same, stride 1, 3x3, 4 channels, multiplier 1',
    x: [2, 7, 7, 4],
    filter: [3, 3, 4, 1],
    strides: 1,
    pad: 'same',
  },
  {
    label: 'valid, stride 2, 3x3, multiplier 2',
    x: [2, 9, 8, 3],
    filter: [3, 3, 3, 2],
    strides: 2,
    pad: 'valid',
  },
  {
    label: 'same, stride 2, 2x3 kernel, multiplier 3',
    x: [3, 6, 7, 2],
    filter: [2, 3, 2, 3],
    strides: 2,
    pad: 'same',
  },
  {
    label: 'pad 1, strides [1,2], 3x1 kernel, multiplier 2',
    x: [2, 5, 8, 3],
    filter: [3, 1, 3, 2],
    strides: [1, 2],
    pad: 1,
  },
  {
    label: 'explicit pads [2,0]x[1,1], multiplier 1',
    x: [2, 6, 5, 3],
    filter: [3, 3, 3, 1],
    strides: 1,
    pad: [
      [0, 0],
      [2, 0],
      [1, 1],
      [0, 0],
    ],
  },
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
