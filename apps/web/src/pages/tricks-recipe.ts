import { dosageNoisy } from '@descent/datasets';
import { Linear, mlp, type Sequential } from '@descent/layers';
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
  spreadFirstBends(model);
  return { model, optimizer: new Adam(model.trainableParameters(), { lr: 0.02 }) };
}

/**
 * A first-layer unit w·x + b bends where w·x + b = 0, at x = -b/w. With the default uniform
 * biases, for some seeds every bend lands outside the doses (0 to 1): the ReLU stack is then a
 * line on the data, and training finds the best line, the same as the linear stack. So the
 * seeded weights stay and each bias is set to put unit i's bend at dose (i + ½)/8, spread over
 * the data. The second layer's biases start at 0.1 rather than at random: a unit whose input is
 * negative for every dose never passes a gradient back ("dead"), and a small positive start
 * keeps them alive. Without both, seeds 3, 8 and 11 of 1-30 gave a stack that never bends. (For
 * the linear stack this only moves its starting line.)
 */
export function spreadFirstBends(model: Sequential): void {
  const first = model.layers[0] as Linear;
  const units = first.outFeatures;
  tf.tidy(() => {
    const at = tf.tensor2d(
      Array.from({ length: units }, (_, i) => (i + 0.5) / units),
      [units, 1],
    );
    first.bias!.variable.assign(tf.neg(tf.mul(first.weight.value, at)).reshape([units]));
    const second = model.layers.filter((l) => l instanceof Linear)[1] as Linear;
    second.bias!.variable.assign(tf.fill([second.outFeatures], 0.1));
  });
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
