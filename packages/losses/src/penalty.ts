import { DescentArgumentError, describe, type Tensor, tf } from '@descent/tensor';
import { checkInput } from './check';

/**
 * Regularization as a penalty added to the loss. L1 adds rate · Σ|w| (it pulls every weight
 * towards zero by the same amount, so unneeded weights reach exactly zero); L2 adds
 * rate · Σw² (it shrinks each weight in proportion to its size, "weight decay"). Only weights
 * are penalized: pass the weight matrices, not the biases, as TensorFlow Playground does.
 */
export const penaltyNames = ['none', 'l1', 'l2'] as const;
/** The name of a weight penalty: 'none', 'l1' or 'l2'. */
export type PenaltyName = (typeof penaltyNames)[number];

function checkWeights(penalty: string, weights: unknown): Tensor[] {
  if (!Array.isArray(weights)) {
    throw new DescentArgumentError(
      `${penalty}: weights: expected an array of tensors, found ${describe(weights)}`,
    );
  }
  return weights.map((w, i) => checkInput(penalty, `weights[${i}]`, w));
}

function checkRate(penalty: string, rate: unknown): number {
  if (typeof rate !== 'number' || !(rate >= 0) || !Number.isFinite(rate)) {
    throw new DescentArgumentError(
      `${penalty}: rate: expected a finite number >= 0, found ${describe(rate)}`,
    );
  }
  return rate;
}

/** rate · Σ|w| over every element of every tensor in `weights`, as a scalar. */
export function l1Penalty(weights: Tensor[], rate: number): Tensor {
  const ws = checkWeights('l1Penalty', weights);
  const r = checkRate('l1Penalty', rate);
  return tf.tidy(() => tf.mul(r, tf.addN([tf.scalar(0), ...ws.map((w) => tf.sum(tf.abs(w)))])));
}

/** rate · Σw² over every element of every tensor in `weights`, as a scalar. */
export function l2Penalty(weights: Tensor[], rate: number): Tensor {
  const ws = checkWeights('l2Penalty', weights);
  const r = checkRate('l2Penalty', rate);
  return tf.tidy(() => tf.mul(r, tf.addN([tf.scalar(0), ...ws.map((w) => tf.sum(tf.square(w)))])));
}

/** The penalty called `name` ('none' gives a zero scalar), for pages and recipes that pick one. */
export function penalty(name: PenaltyName, weights: Tensor[], rate: number): Tensor {
  if (name === 'l1') return l1Penalty(weights, rate);
  if (name === 'l2') return l2Penalty(weights, rate);
  if (name === 'none') {
    checkWeights('penalty', weights);
    checkRate('penalty', rate);
    return tf.scalar(0);
  }
  throw new DescentArgumentError(
    `penalty: name: expected one of ${penaltyNames.join(', ')}, found ${describe(name)}`,
  );
}
