import { Adam, AdamW, RMSprop, SGD } from '@descent/optim';
import { initBackend, memory, tf } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer, optimizerNames } from './optimizer-registry';

beforeAll(async () => {
  await initBackend();
});

describe('createOptimizer', () => {
  it('gives each name one meaning: sgd is plain, momentum and nesterov use 0.9', () => {
    const v = tf.variable(tf.zeros([2]));
    const before = memory().numTensors;
    const made = Object.fromEntries(optimizerNames.map((n) => [n, createOptimizer(n, [v], { lr: 0.1 })]));
    expect(made.sgd).toBeInstanceOf(SGD);
    expect(made.sgd.hyperparameters()).toMatchObject({ momentum: 0, nesterov: false });
    expect(made.momentum.hyperparameters()).toMatchObject({ momentum: 0.9, nesterov: false });
    expect(made.nesterov.hyperparameters()).toMatchObject({ momentum: 0.9, nesterov: true });
    expect(made.adam).toBeInstanceOf(Adam);
    expect(made.adam).not.toBeInstanceOf(AdamW);
    expect(made.adamw).toBeInstanceOf(AdamW);
    expect(made.adamw.hyperparameters()).toMatchObject({ weightDecay: 0.01 });
    expect(made.rmsprop).toBeInstanceOf(RMSprop);
    for (const o of Object.values(made)) {
      expect(o.lr).toBe(0.1);
      o.dispose();
    }
    expect(memory().numTensors).toBe(before);
    v.dispose();
  });

  it('steps as the class it names: one plain SGD step is p - lr * g', () => {
    const v = tf.variable(tf.tensor1d([1, 2]), true, 'p');
    const sgd = createOptimizer('sgd', [v], { lr: 0.5 });
    const g = tf.tensor1d([2, -2]);
    sgd.step({ p: g });
    g.dispose();
    expect(Array.from(v.dataSync())).toEqual([0, 3]);
    sgd.dispose();
    v.dispose();
  });

  it('passes a weight decay on and refuses unknown names and settings', () => {
    const v = tf.variable(tf.zeros([1]));
    const adam = createOptimizer('adam', [v], { lr: 0.01, weightDecay: 0.1 });
    expect(adam.hyperparameters()).toMatchObject({ weightDecay: 0.1 });
    adam.dispose();
    expect(() => createOptimizer('lion' as never, [v], { lr: 1 })).toThrow(
      /name: expected one of sgd, momentum, nesterov, adam, adamw, rmsprop, found "lion"/,
    );
    expect(() => createOptimizer('sgd', [v], { lr: 0 })).toThrow(/settings.lr: expected a positive number/);
    expect(() => createOptimizer('sgd', [v], { lr: 1, momentum: 0.9 } as never)).toThrow(
      /settings: expected only lr, weightDecay, found "momentum"/,
    );
    v.dispose();
  });
});
