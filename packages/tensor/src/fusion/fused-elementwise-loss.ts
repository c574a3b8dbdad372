import * as tf from '@tensorflow/tfjs-core';
import { onHostBackend } from '../host-backend';

/** How a loss's per-element terms are combined, as PyTorch's `reduction`. */
export type LossReduction = 'mean' | 'sum' | 'none';

/** A loss term and its two partial derivatives at one (prediction, target) pair. */
interface ElementwiseLoss {
  value(p: number, y: number): number;
  dInput(p: number, y: number): number;
  dTarget(p: number, y: number): number;
}

const squaredError: ElementwiseLoss = {
  value: (p, y) => (p - y) ** 2,
  dInput: (p, y) => 2 * (p - y),
  dTarget: (p, y) => 2 * (y - p),
};

// As PyTorch's binary_cross_entropy: each log clamped at -100, and the backward divides by
// max(p (1 - p), 1e-12), so a probability of exactly 0 or 1 gives finite values.
const LOG_FLOOR = -100;
const GRAD_EPSILON = 1e-12;
const clampedLog = (x: number) => Math.max(Math.log(x), LOG_FLOOR);

const binaryCrossEntropy: ElementwiseLoss = {
  value: (p, y) => -(y * clampedLog(p) + (1 - y) * clampedLog(1 - p)),
  dInput: (p, y) => (p - y) / Math.max(p * (1 - p), GRAD_EPSILON),
  dTarget: (p) => clampedLog(1 - p) - clampedLog(p),
};

const sameShape = (a: tf.Tensor, b: tf.Tensor) =>
  a.rank === b.rank && a.shape.every((d, i) => d === b.shape[i]);

/** Both tensors live float32 of one shape, on a backend that holds them in this process. */
function applies(input: tf.Tensor, target: tf.Tensor): boolean {
  return (
    onHostBackend() &&
    input instanceof tf.Tensor &&
    target instanceof tf.Tensor &&
    !input.isDisposed &&
    !target.isDisposed &&
    input.dtype === 'float32' &&
    target.dtype === 'float32' &&
    sameShape(input, target)
  );
}

/**
 * An element-by-element loss and its reduction worked out on the host in one taped op: tfjs's own
 * route is five to thirty small kernels with their gradients, whose fixed costs dominate the step
 * of a small network. Sums run in float64.
 */
function elementwiseOnHost(
  loss: ElementwiseLoss,
  input: tf.Tensor,
  target: tf.Tensor,
  p: Float32Array,
  y: Float32Array,
  reduction: LossReduction,
): tf.Tensor {
  const n = input.size;
  const shape = input.shape;
  const onHost = () => {
    const terms = new Float32Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = loss.value(p[i], y[i]);
      terms[i] = v;
      total += v;
    }
    const value =
      reduction === 'none' ? tf.tensor(terms, shape) : tf.scalar(reduction === 'mean' ? total / n : total);
    return {
      value,
      gradFunc: (dy: tf.Tensor) => {
        const upstream = dy.dataSync();
        const scale = reduction === 'mean' ? 1 / n : 1;
        const dx = new Float32Array(n);
        const dt = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          const g = (reduction === 'none' ? upstream[i] : upstream[0]) * scale;
          dx[i] = g * loss.dInput(p[i], y[i]);
          dt[i] = g * loss.dTarget(p[i], y[i]);
        }
        return [tf.tensor(dx, shape), tf.tensor(dt, shape)];
      },
    };
  };
  return tf.customGrad(onHost as unknown as Parameters<typeof tf.customGrad>[0])(input, target) as tf.Tensor;
}

/**
 * (input - target)², reduced, as one taped op on the host (the values of @descent/losses' `mse`
 * up to float rounding). Undefined where it does not apply: a GPU backend, or input and target
 * not float32 tensors of one shape; the caller then runs the loss's own ops.
 */
export function fusedMse(input: tf.Tensor, target: tf.Tensor, reduction: LossReduction = 'mean') {
  if (!applies(input, target)) return undefined;
  const p = input.dataSync() as Float32Array;
  const y = target.dataSync() as Float32Array;
  return elementwiseOnHost(squaredError, input, target, p, y, reduction);
}

/**
 * Binary cross-entropy on probabilities with PyTorch's clamps and backward, as one taped op on the
 * host. Undefined where `fusedMse` would be, and where any input or target value lies outside
 * [0, 1] (NaN included): the loss's own ops then report it.
 */
export function fusedBce(input: tf.Tensor, target: tf.Tensor, reduction: LossReduction = 'mean') {
  if (!applies(input, target)) return undefined;
  const p = input.dataSync() as Float32Array;
  const y = target.dataSync() as Float32Array;
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0 && p[i] <= 1 && y[i] >= 0 && y[i] <= 1)) return undefined;
  }
  return elementwiseOnHost(binaryCrossEntropy, input, target, p, y, reduction);
}
