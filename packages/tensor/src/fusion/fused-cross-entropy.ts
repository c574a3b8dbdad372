import * as tf from '@tensorflow/tfjs-core';
import { onHostBackend } from '../host-backend';
import type { LossReduction } from './fused-elementwise-loss';

/** Class indices: a rank-1 int32 or float32 tensor of n integers in [0, c). */
function classIndices(target: tf.Tensor, n: number, c: number): ArrayLike<number> | undefined {
  if (!(target instanceof tf.Tensor) || target.isDisposed || target.rank !== 1 || target.shape[0] !== n) {
    return undefined;
  }
  if (target.dtype !== 'int32' && target.dtype !== 'float32') return undefined;
  const labels = target.dataSync() as ArrayLike<number>;
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (!(Number.isInteger(v) && v >= 0 && v < c)) return undefined;
  }
  return labels;
}

/**
 * Per row of `logits` [n, c] (n = labels.length): the loss `lse - x[label]` into `losses`, and
 * the gradient `(softmax(x) - onehot(label)) * scale` into `grad`; the log-sum-exp with the max
 * subtracted first, the exponentials in float64.
 */
export function crossEntropyRows(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  c: number,
  scale: number,
  losses: Float32Array,
  grad: Float32Array,
): void {
  const exps = new Float64Array(c);
  for (let i = 0; i < labels.length; i++) {
    const row = i * c;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < c; j++) max = Math.max(max, logits[row + j]);
    let sum = 0;
    for (let j = 0; j < c; j++) {
      exps[j] = Math.exp(logits[row + j] - max);
      sum += exps[j];
    }
    const label = labels[i];
    losses[i] = max + Math.log(sum) - logits[row + label];
    for (let j = 0; j < c; j++) grad[row + j] = (exps[j] / sum - (j === label ? 1 : 0)) * scale;
  }
}

/**
 * Cross-entropy of logits [N, C] against class indices [N] as one taped op on the host (the values
 * of @descent/losses' `crossEntropy` up to float rounding): per row the log-sum-exp (max subtracted
 * first) in float64, the loss `lse - x[label]` and the gradient `softmax(x) - onehot(label)` (divided by N for 'mean'), kept
 * for the backward pass. tfjs's own route (logSoftmax, oneHot, multiply, sum, mean and their
 * gradients) is about twenty small kernels, each with a fixed cost that dominates for a [64, 10]
 * batch. Undefined where it does not apply: a GPU backend (reading there would stall the
 * pipeline), input that is not float32 [N, C], or a target that is not N valid class indices.
 */
export function fusedCrossEntropy(
  input: tf.Tensor,
  target: tf.Tensor,
  reduction: LossReduction = 'mean',
): tf.Tensor | undefined {
  if (!onHostBackend() || !(input instanceof tf.Tensor) || input.isDisposed) return undefined;
  if (input.dtype !== 'float32' || input.rank !== 2 || !((input.shape[1] ?? 0) >= 1)) return undefined;
  const [n, c] = input.shape as [number, number];
  const labels = classIndices(target, n, c);
  if (!labels) return undefined;
  const crossEntropyOnHost = (x: tf.Tensor, save: tf.GradSaveFunc) => {
    const logits = x.dataSync() as Float32Array;
    const losses = new Float32Array(n);
    const grad = new Float32Array(n * c);
    // The gradient kept is already scaled for the reduction ('mean' divides by n), so that the
    // backward pass is one product by dy.
    crossEntropyRows(logits, labels, c, reduction === 'mean' ? 1 / n : 1, losses, grad);
    const g = tf.tensor2d(grad, [n, c]);
    save([g]);
    // Reduced by tfjs's own kernels, in float32, as the loss's ops reduce.
    const perSample = tf.tensor1d(losses);
    const value =
      reduction === 'mean' ? tf.mean(perSample) : reduction === 'sum' ? tf.sum(perSample) : perSample;
    if (value !== perSample) perSample.dispose();
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.mul(saved[0], reduction === 'none' ? tf.reshape(dy, [n, 1]) : dy),
    };
  };
  return tf.customGrad(crossEntropyOnHost as unknown as Parameters<typeof tf.customGrad>[0])(input);
}
