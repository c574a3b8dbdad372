import { dosage } from '@descent/datasets';
import { Linear, Sequential, Softplus } from '@descent/layers';
import { SGD } from '@descent/optim';
import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { Learner } from './learner';

/** The course's 1-2-1 softplus net trained with SGD on the dosage table, compiled or not. */
async function train(compile: boolean) {
  const model = new Sequential([
    new Linear(1, 2, { seed: 3 }),
    new Softplus(),
    new Linear(2, 1, { seed: 4 }),
  ]);
  const optimizer = new SGD(model.parameters(), { lr: 0.1 });
  const learner = new Learner(model, { loss: 'mse', optimizer, compile });
  const d = dosage();
  const before = tf.memory().numTensors;
  const info = await tf.profile(async () => {
    await learner.fit({ X: d.X, y: d.y }, { epochs: 1, batchSize: 3, shuffle: false });
  });
  const kernels = info.kernels.length;
  const { history } = await learner.fit({ X: d.X, y: d.y }, { epochs: 200, batchSize: 3, seed: 1 });
  expect(tf.memory().numTensors).toBe(before);
  const weights = model.parameters().map((p) => Array.from(p.variable.dataSync()));
  optimizer.dispose();
  model.dispose();
  return { losses: history.map((h) => h.loss), weights, kernels };
}

describe('Learner compile option', () => {
  it('compiles by default to the plain path numbers, in a fraction of the kernels', async () => {
    const fast = await train(true);
    const plain = await train(false);
    fast.losses.forEach((l, i) => {
      expect(Math.abs(l - plain.losses[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, plain.losses[i]));
    });
    fast.weights.flat().forEach((w, i) => {
      expect(w).toBeCloseTo(plain.weights.flat()[i], 4);
    });
    expect(fast.kernels).toBeLessThan(plain.kernels / 2);
  });

  it('refuses a compile option that is not a boolean', () => {
    const model = new Sequential([new Linear(1, 1, { seed: 1 })]);
    expect(() => new Learner(model, { loss: 'mse', compile: 'yes' as never })).toThrow('compile');
    model.dispose();
  });
});
