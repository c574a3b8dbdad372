import { dosage } from '@descent/datasets';
import { type Linear, mlp, type Sequential } from '@descent/layers';
import { bceWithLogits, mse } from '@descent/losses';
import { SGD } from '@descent/optim';
import { tf } from '@descent/tensor';

/** Page 3's recipe: the course's 1-2-1 softplus dosage net, its step and its readings (no DOM). */

/** The three patients (low, medium, high dosage) as (3, 1) columns. */
export function dosageColumns() {
  const data = dosage();
  const x = tf.tensor2d(data.X.data, [data.X.rows, 1]);
  const y = tf.tensor2d(data.y, [data.y.length, 1]);
  return { data, x, y };
}

export interface DosageNet {
  model: Sequential;
  optimizer: SGD;
}

/** 1 → 2 softplus → 1, trained by plain SGD (no momentum), as in the course. */
export function makeDosageNet(seed: number, lr: number): DosageNet {
  const model = mlp({ inputs: 1, hidden: [2], outputs: 1, activation: 'softplus', seed });
  return { model, optimizer: new SGD(model.trainableParameters(), { lr }) };
}

/** One step of plain gradient descent on the MSE: new = old − lr × slope, for every weight. */
export function gradientStep(net: DosageNet, x: tf.Tensor, y: tf.Tensor): void {
  const variables = net.model.trainableParameters().map((p) => p.variable);
  const { value, grads } = tf.variableGrads(() => mse(net.model.forward(x), y) as tf.Scalar, variables);
  net.optimizer.step(grads);
  tf.dispose([value, ...Object.values(grads)]);
}

/**
 * What the page shows, as tensors the caller reads and disposes: the hidden softplus outputs on
 * the grid [grid, 2], the net on the grid, its predictions, their MSE and BCE, and copies of the
 * weights (so a step that reassigns them cannot free what an asynchronous read waits for).
 */
export function readings(
  model: Sequential,
  grid: tf.Tensor,
  x: tf.Tensor,
  y: tf.Tensor,
  targets: Float32Array,
) {
  const first = model.at(0) as Linear;
  const output = model.at(2) as Linear;
  return tf.tidy(() => {
    const hidden = model.at(1).forward(first.forward(grid));
    const p = model.forward(x);
    // BCE of the clipped predictions, computed as bceWithLogits of their log-odds (the same
    // number): its only value check reads a target made fresh on the host, whereas bce's
    // check reads the predictions back synchronously, which WebGPU cannot do reliably.
    const pc = tf.clipByValue(p, 1e-7, 1 - 1e-7);
    const target = tf.tensor2d(targets, [targets.length, 1]);
    return [
      hidden,
      model.forward(grid),
      p,
      mse(p, y),
      bceWithLogits(tf.sub(tf.log(pc), tf.log1p(tf.neg(pc))), target),
      tf.clone(first.weight.value),
      tf.clone(first.bias!.value),
      tf.clone(output.weight.value),
      tf.clone(output.bias!.value),
    ];
  });
}

/** The upper and lower paths (each hidden unit's softplus times its output weight) and the bias. */
export function paths(hidden: ArrayLike<number>, w2: ArrayLike<number>, b2: number, points: number) {
  return {
    upper: Array.from({ length: points }, (_, i) => hidden[2 * i] * w2[0]),
    lower: Array.from({ length: points }, (_, i) => hidden[2 * i + 1] * w2[1]),
    bias: b2,
  };
}
