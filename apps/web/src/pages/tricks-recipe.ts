import { dosageNoisy } from '@descent/datasets';
import { type Linear, mlp, type Sequential } from '@descent/layers';
import { mse } from '@descent/losses';
import { Adam } from '@descent/optim';
import { tf } from '@descent/tensor';

/** Page 1's recipe: the two 1-8-8-1 stacks, their data and their training step (no DOM). */

export type StackActivation = 'none' | 'relu' | 'tanh' | 'sigmoid';

/** How many steps one run trains, and how many it takes between two frames. */
export const tricksSteps = { total: 600, perFrame: 5 };

/** Sixty noisy patients on the dosage bump, as (n, 1) columns. */
export function bump(seed: number) {
  const data = dosageNoisy({ n: 60, noise: 0.05, seed });
  const x = tf.tensor2d(data.X.data, [data.X.rows, 1]);
  const y = tf.tensor2d(data.y, [data.y.length, 1]);
  return { data, x, y };
}

export interface Stack {
  model: Sequential;
  optimizer: Adam;
}

/** 1 → 8 → 8 → 1 with `activation` between the layers ('none': linear layers only). */
export function makeStack(activation: StackActivation, seed: number): Stack {
  const model = mlp({ inputs: 1, hidden: [8, 8], outputs: 1, activation, seed });
  return { model, optimizer: new Adam(model.trainableParameters(), { lr: 0.02 }) };
}

export function disposeStack(stack: Stack): void {
  stack.optimizer.dispose();
  stack.model.dispose();
}

/** One step of gradient descent on the MSE of the whole bump. */
export function trainStep(stack: Stack, x: tf.Tensor, y: tf.Tensor): void {
  const vars = stack.model.trainableParameters().map((p) => p.variable);
  const { value, grads } = tf.variableGrads(() => mse(stack.model.forward(x), y) as tf.Scalar, vars);
  stack.optimizer.step(grads);
  tf.dispose([value, ...Object.values(grads)]);
}

/**
 * The three linear layers multiplied out: y = (W3 W2 W1) x + (W3 (W2 b1 + b2) + b3), as two
 * one-element tensors [slope, intercept] (the caller reads and disposes them).
 */
export function multiplyOut(model: Sequential): [tf.Tensor, tf.Tensor] {
  const [l1, l2, l3] = model.layers as Linear[];
  return tf.tidy(() => {
    const w = tf.matMul(l3.weight.value, tf.matMul(l2.weight.value, l1.weight.value));
    const inner = tf.add(
      tf.matMul(l2.weight.value, l1.bias!.value.reshape([-1, 1])),
      l2.bias!.value.reshape([-1, 1]),
    );
    const bias = tf.add(tf.matMul(l3.weight.value, inner), l3.bias!.value.reshape([-1, 1]));
    return [w.reshape([1]), bias.reshape([1])];
  });
}
