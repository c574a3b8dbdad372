import { getTestFunction } from '@descent/datasets';
import { initBackend, tf } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  disposeRunner,
  lagNotes,
  makeRunner,
  optimizerKinds,
  rateFor,
  stepRunner,
  suitedLr,
} from './descent-recipe';

beforeAll(async () => {
  await initBackend();
});

describe('page 2: four optimizers on a test function', () => {
  it("SGD's first step is start − lr × gradient, from the function's own gradient", async () => {
    const fn = getTestFunction('rosenbrock');
    const start: [number, number] = [-1.2, 1];
    const sgd = makeRunner(optimizerKinds[0], fn, start, 0.001);
    await stepRunner(sgd, fn);
    const g = fn.grad(...start);
    expect(sgd.path[1][0]).toBeCloseTo(start[0] - 0.001 * g[0], 5);
    expect(sgd.path[1][1]).toBeCloseTo(start[1] - 0.001 * g[1], 5);
    expect(sgd.losses[1]).toBeCloseTo(fn.f(...sgd.path[1]), 4);
    disposeRunner(sgd);
  });

  it('every optimizer walks down the quadratic bowl at its default rate; nothing leaks', async () => {
    const before = tf.memory().numTensors;
    const fn = getTestFunction('quadratic');
    for (const kind of optimizerKinds) {
      const r = makeRunner(kind, fn, [...fn.defaultStart], rateFor('quadratic', kind.key));
      for (let i = 0; i < 200; i++) await stepRunner(r, fn);
      expect(r.diverged).toBe(false);
      expect(r.path).toHaveLength(201);
      expect(r.losses[200]).toBeLessThan(r.losses[0]);
      disposeRunner(r);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("Rosenbrock, 1,500 steps at each optimizer's own rate: each reaches the minimum, or the page says why it lags", async () => {
    const fn = getTestFunction('rosenbrock');
    const reached: Record<string, number> = {};
    for (const kind of optimizerKinds) {
      const r = makeRunner(kind, fn, [...fn.defaultStart], rateFor('rosenbrock', kind.key));
      for (let i = 0; i < 1500; i++) await stepRunner(r, fn);
      expect(r.diverged, kind.key).toBe(false);
      reached[kind.key] = r.losses[r.losses.length - 1];
      disposeRunner(r);
      if (reached[kind.key] > 1e-3)
        expect(lagNotes.rosenbrock[kind.key], `${kind.key} lags: f = ${reached[kind.key]}`).toBeTruthy();
    }
    // Adam at its own rate is no longer the laggard it was at SGD's 0.001 (f = 4.1 then).
    expect(reached.adam).toBeLessThan(1e-6);
    expect(reached.momentum).toBeLessThan(1e-6);
    expect(reached.rmsprop).toBeLessThan(0.1);
    for (const fnName of Object.keys(suitedLr)) {
      expect(Object.keys(suitedLr[fnName]).sort()).toEqual(optimizerKinds.map((k) => k.key).sort());
    }
  });

  it('a rate far too large leaves the map: the walk is marked diverged and stops', async () => {
    const fn = getTestFunction('rosenbrock');
    const r = makeRunner(optimizerKinds[0], fn, [...fn.defaultStart], 1);
    for (let i = 0; i < 50; i++) await stepRunner(r, fn);
    expect(r.diverged).toBe(true);
    expect(r.path.length).toBeLessThan(51);
    disposeRunner(r);
  });
});
