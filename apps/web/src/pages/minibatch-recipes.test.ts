import { SGD } from '@descent/optim';
import { initBackend, tf } from '@descent/tensor';
import { Learner } from '@descent/train';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  makeSchedule,
  minibatchDefaults,
  minibatchModel,
  minibatchTask,
  rateCallback,
  recipes,
} from './minibatch-recipes';

// The Node default: WASM, as the panel runs on a machine without a GPU.
beforeAll(async () => {
  await initBackend();
});

/** The rates a schedule gives `steps` mini-batch steps, as the panel steps it (no training). */
function ratesOf(name: 'cosine' | 'step' | 'onecycle', steps: number, base = 1): number[] {
  const v = tf.variable(tf.zeros([1]));
  const optimizer = new SGD([v], { lr: base });
  const schedule = makeSchedule(name, optimizer, steps);
  const rates: number[] = [];
  for (let i = 0; i < steps; i++) {
    rates.push(optimizer.lr);
    schedule.step();
  }
  expect((optimizer as unknown as { momentum: number }).momentum).toBe(0);
  optimizer.dispose();
  v.dispose();
  return rates;
}

describe('the schedules of the mini-batch panel', () => {
  it('step: the base rate for the first third, a tenth for the second, a hundredth for the last', () => {
    const rates = ratesOf('step', 36);
    expect(rates.slice(0, 12)).toEqual(Array(12).fill(1));
    for (const r of rates.slice(12, 24)) expect(r).toBeCloseTo(0.1, 12);
    for (const r of rates.slice(24)) expect(r).toBeCloseTo(0.01, 12);
  });

  it('cosine: from the base rate down to 0, never rising; the closed form at the middle', () => {
    const rates = ratesOf('cosine', 100, 0.5);
    expect(rates[0]).toBe(0.5);
    expect(rates[50]).toBeCloseTo(0.25, 12);
    // (1 + cos(pi * 99 / 100)) / 2 of the base on the last step.
    expect(rates[99]).toBeCloseTo((0.5 * (1 + Math.cos((Math.PI * 99) / 100))) / 2, 12);
    for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeLessThan(rates[i - 1]);
  });

  it('one-cycle: up from base / 25 to the base at 30 % of the steps, then far below; momentum stays off', () => {
    const rates = ratesOf('onecycle', 100);
    expect(rates[0]).toBeCloseTo(1 / 25, 12);
    expect(Math.max(...rates)).toBeCloseTo(1, 12);
    expect(rates.indexOf(Math.max(...rates))).toBe(29);
    expect(rates[99]).toBeLessThan(1e-4);
  });
});

describe('the three recipes on the panel defaults', () => {
  it('start from the same weights; the schedule ends lower than the constant rate; nothing leaks', async () => {
    const before = tf.memory().numTensors;
    const seed = 1;
    const task = minibatchTask(seed);
    const { batchSize, epochs, schedule: name } = minibatchDefaults;
    const totalSteps = epochs * Math.ceil(task.train.X.rows / batchSize);
    const results: Record<string, { first: number; last: number; rates: number[] }> = {};
    for (const recipe of recipes) {
      const model = minibatchModel(task, seed);
      const optimizer = recipe.optimizer(model.trainableParameters(), {
        sgd: minibatchDefaults.sgdLr,
        adam: minibatchDefaults.adamLr,
      });
      const schedule = recipe.schedule?.(name, optimizer, totalSteps);
      const rates: number[] = [];
      const learner = new Learner(model, { loss: 'bceWithLogits', optimizer });
      const { history } = await learner.fit(task.train, {
        epochs,
        batchSize,
        seed,
        callbacks: [rateCallback(optimizer, schedule, rates)],
      });
      results[recipe.key] = { first: history[0].loss, last: history[history.length - 1].loss, rates };
      optimizer.dispose();
      model.dispose();
    }
    const { constant, scheduled, adam } = results;
    expect(constant.rates).toHaveLength(totalSteps);
    expect(new Set(constant.rates)).toEqual(new Set([minibatchDefaults.sgdLr]));
    expect(new Set(adam.rates)).toEqual(new Set([minibatchDefaults.adamLr]));
    expect(scheduled.rates[0]).toBe(minibatchDefaults.sgdLr);
    expect(scheduled.rates[totalSteps - 1]).toBeLessThan(1e-3);
    // The cosine's first steps barely differ from the constant rate: the first epochs agree,
    // which they could not from different first weights or batches.
    expect(scheduled.first).toBeCloseTo(constant.first, 3);
    // The lesson the panel teaches, on its defaults: constant-rate SGD is still bouncing at the
    // end; the schedule settled lower.
    expect(scheduled.last).toBeLessThan(constant.last - 0.02);
    expect(Number.isFinite(adam.last)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});
