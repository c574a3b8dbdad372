import { toNCHW } from '@descent/datasets/images';
import { mnistDigits } from '@descent/datasets/node';
import { initBackend, tf } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchSize, digitsDefaults, digitsLearner, oneCycle, peakLr, testDigitIndex } from './digits-recipe';

beforeAll(async () => {
  await initBackend();
});

describe('page 7: the CNN on digits', () => {
  it('the defaults shrink on a slow backend', () => {
    expect(digitsDefaults(false)).toEqual({ train: '8000', test: '2000', epochs: 6 });
    expect(digitsDefaults(true)).toEqual({ train: '1000', test: '100', epochs: 1 });
  });

  it('the test digits walk through the held-out set, differently per seed', () => {
    const picks = [0, 1, 2].map((press) => testDigitIndex(3, press, 2000));
    expect(new Set(picks).size).toBe(3);
    for (const i of picks) expect(i).toBeGreaterThanOrEqual(0);
    expect(testDigitIndex(4, 0, 2000)).not.toBe(picks[0]);
  });

  it('one pass over 512 digits under one-cycle learns well above chance; the rate peaks at the set rate; nothing leaks', async () => {
    const before = tf.memory().numTensors;
    const split = await mnistDigits({ seed: 1, testSize: 2000 });
    const n = 512;
    const x = toNCHW(split.train);
    const train = {
      X: { data: x.data.subarray(0, n * 784), rows: n, cols: 784 },
      y: split.train.labels.subarray(0, n),
    };
    const tx = toNCHW(split.test);
    const test = {
      X: { data: tx.data.subarray(0, 500 * 784), rows: 500, cols: 784 },
      y: split.test.labels.subarray(0, 500),
    };
    const { model, optimizer, learner } = digitsLearner(1, peakLr);
    const schedule = oneCycle(optimizer, peakLr, 1, n);
    const rates: number[] = [];
    await learner.fit(train, {
      epochs: 1,
      batchSize,
      seed: 1,
      callbacks: [
        {
          onBatchEnd: () => {
            rates.push(optimizer.lr);
            schedule.step();
          },
        },
      ],
    });
    expect(rates).toHaveLength(n / batchSize);
    expect(Math.max(...rates)).toBeCloseTo(peakLr, 3);
    const { accuracy } = await learner.evaluateAsync(test);
    expect(accuracy).toBeGreaterThan(0.3);
    optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
