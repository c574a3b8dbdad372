// The network the WASM training kernels exist for, in raw tfjs ops: conv -> relu -> maxpool ->
// conv -> relu -> maxpool -> flatten -> dense -> softmax cross-entropy (MNIST-sized, NHWC).
import { tf } from '../src/index';
import { normals } from './parity';

export interface SmallCnnData {
  weights: {
    w1: Float32Array;
    b1: Float32Array;
    w2: Float32Array;
    b2: Float32Array;
    wd: Float32Array;
    bd: Float32Array;
  };
  images: Float32Array;
  labels: number[];
  batch: number;
}

export const cnnShapes = {
  w1: [3, 3, 1, 8],
  b1: [8],
  w2: [3, 3, 8, 16],
  b2: [16],
  wd: [7 * 7 * 16, 10],
  bd: [10],
} as const;

export function smallCnnData(batch: number, seed = 1): SmallCnnData {
  const scaled = (shape: readonly number[], s: number, std: number) =>
    normals([...shape], s).map((v) => v * std);
  return {
    weights: {
      w1: scaled(cnnShapes.w1, seed, 1 / 3),
      b1: scaled(cnnShapes.b1, seed + 1, 0.1),
      w2: scaled(cnnShapes.w2, seed + 2, 1 / Math.sqrt(72)),
      b2: scaled(cnnShapes.b2, seed + 3, 0.1),
      wd: scaled(cnnShapes.wd, seed + 4, 1 / 28),
      bd: scaled(cnnShapes.bd, seed + 5, 0.1),
    },
    images: normals([batch, 28, 28, 1], seed + 6),
    labels: Array.from({ length: batch }, (_, i) => (i * 7 + seed) % 10),
    batch,
  };
}

export type CnnVariables = Record<keyof typeof cnnShapes, tf.Variable>;

export function cnnVariables(data: SmallCnnData): CnnVariables {
  const entries = Object.entries(cnnShapes).map(([name, shape]) => [
    name,
    tf.variable(tf.tensor(data.weights[name as keyof typeof cnnShapes], [...shape])),
  ]);
  return Object.fromEntries(entries) as CnnVariables;
}

/** Mean softmax cross-entropy of the batch; call inside tidy or variableGrads. */
export function cnnLoss(v: CnnVariables, images: tf.Tensor4D, oneHot: tf.Tensor2D): tf.Scalar {
  let h = tf.relu(tf.add(tf.conv2d(images, v.w1 as tf.Tensor4D, 1, 'same'), v.b1)) as tf.Tensor4D;
  h = tf.maxPool(h, 2, 2, 'valid');
  h = tf.relu(tf.add(tf.conv2d(h, v.w2 as tf.Tensor4D, 1, 'same'), v.b2)) as tf.Tensor4D;
  h = tf.maxPool(h, 2, 2, 'valid');
  const logits = tf.add(tf.matMul(tf.reshape(h, [images.shape[0], -1]), v.wd as tf.Tensor2D), v.bd);
  return tf.losses.softmaxCrossEntropy(oneHot, logits) as tf.Scalar;
}

/** One SGD step; returns the loss before it and the gradients (host arrays, in cnnShapes order). */
export function cnnStep(
  v: CnnVariables,
  data: SmallCnnData,
  lr: number,
): { loss: number; grads: Float32Array[] } {
  return tf.tidy(() => {
    const images = tf.tensor4d(data.images, [data.batch, 28, 28, 1]);
    const oneHot = tf.oneHot(tf.tensor1d(data.labels, 'int32'), 10) as tf.Tensor2D;
    const { value, grads } = tf.variableGrads(() => cnnLoss(v, images, oneHot), Object.values(v));
    const order = Object.keys(cnnShapes) as (keyof typeof cnnShapes)[];
    const host = order.map((name) => Float32Array.from(grads[v[name].name].dataSync()));
    for (const name of order) v[name].assign(tf.sub(v[name], tf.mul(grads[v[name].name], lr)));
    return { loss: value.dataSync()[0], grads: host };
  });
}
