import { penguins, splitTable } from '@descent/datasets';
import { Linear, ReLU, Sequential } from '@descent/layers';
import { SGD } from '@descent/optim';
import { memory } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { Learner } from './learner';
import { steepestRate } from './lr-find';
import { TabularPreprocessor } from './tabular-preprocessor';

/** The penguins' species from their measurements, standard-scaled: a real table, three classes. */
function penguinSpecies() {
  const data = penguins();
  const { train } = splitTable(data, { testSize: 0.2, seed: 1, stratifyBy: 'species' });
  const pre = TabularPreprocessor.create({ scale: 'standard' }).fit(train, {
    target: 'species',
    features: data.taskInfo.features.filter((f) => f !== 'species'),
  });
  const rows = pre.transform(train);
  return { X: rows.X, y: rows.y as Float32Array };
}

describe('Learner.lrFind (the learning-rate range test)', () => {
  it('suggests the rate where the smoothed loss falls fastest, then restores weights and optimizer', async () => {
    const data = penguinSpecies();
    const model = new Sequential([
      new Linear(data.X.cols, 16, { seed: 1 }),
      new ReLU(),
      new Linear(16, 3, { seed: 2 }),
    ]);
    const optimizer = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
    const learner = new Learner(model, { loss: 'cross_entropy', optimizer });
    const before = memory().numTensors;
    const weights = model.parameters().map((p) => Array.from(p.variable.dataSync()));

    const found = await learner.lrFind(data, { endLr: 1000, numIter: 100, batchSize: 16, seed: 3 });

    // Restored exactly, with nothing left behind.
    expect(model.parameters().map((p) => Array.from(p.variable.dataSync()))).toEqual(weights);
    expect(optimizer.lr).toBe(0.05);
    expect(optimizer.stateDict()).toMatchObject({ step: 0, state: {} });
    expect(memory().numTensors).toBe(before);

    // An exponential sweep from 1e-7 that stopped when the loss blew up, before 10.
    const { lrs, losses, suggested } = found;
    expect(found.stopReason).toBe('diverged');
    expect(lrs[0]).toBeCloseTo(1e-7, 15);
    expect(lrs.length).toBe(losses.length);
    expect(lrs.length).toBeLessThan(100);
    const ratio = lrs[1] / lrs[0];
    lrs.forEach((lr, i) => {
      if (i > 0) expect(lr / lrs[i - 1]).toBeCloseTo(ratio, 9);
    });
    // The suggestion is where the loss-vs-log(lr) slope is most negative (past the first tenth,
    // before the last five points), and the loss does fall there.
    const i = lrs.indexOf(suggested);
    const slope = (k: number) => (losses[k + 1] - losses[k]) / Math.log(lrs[k + 1] / lrs[k]);
    expect(i).toBeGreaterThanOrEqual(10);
    expect(i).toBeLessThan(lrs.length - 6);
    for (let k = 10; k < lrs.length - 6; k++) expect(slope(i)).toBeLessThanOrEqual(slope(k));
    expect(slope(i)).toBeLessThan(0);
    expect(losses[lrs.length - 1]).toBeGreaterThan(4 * Math.min(...losses));

    // Training at the suggestion beats training at the start of the sweep.
    const fitAt = async (lr: number) => {
      const m = new Sequential([
        new Linear(data.X.cols, 16, { seed: 1 }),
        new ReLU(),
        new Linear(16, 3, { seed: 2 }),
      ]);
      const opt = new SGD(m.parameters(), { lr, momentum: 0.9 });
      const { history } = await new Learner(m, { loss: 'crossEntropy', optimizer: opt }).fit(data, {
        epochs: 3,
        batchSize: 16,
        seed: 3,
      });
      opt.dispose();
      m.dispose();
      return history[history.length - 1].loss;
    };
    expect(await fitAt(suggested)).toBeLessThan((await fitAt(lrs[0])) / 2);
    optimizer.dispose();
    model.dispose();
  });

  it('steepestRate: the rate before the steepest drop; short curves use every point', () => {
    const lrs = Array.from({ length: 20 }, (_, i) => 2 ** i);
    const fall = [4.8, 4.5, 4, 1, 0.9, 2, 5, 10, 20, 40];
    const losses = [...Array.from({ length: 10 }, (_, i) => 5 - 0.01 * i), ...fall];
    expect(steepestRate(lrs, losses, 20)).toBe(lrs[12]);
    // The blow-up at the end (the last five) and the first tenth are left out of the search.
    expect(steepestRate(lrs, [0, 100, ...losses.slice(2, 15), -1e9, 0, 0, 0, 0], 20)).toBe(lrs[12]);
    expect(steepestRate([1, 10], [2, 1], 100)).toBe(1);
  });

  it('refuses bad options and a Learner without an optimizer', async () => {
    const data = { X: [[0], [1]], y: [0, 1] };
    const model = new Sequential([new Linear(1, 1, { seed: 1 })]);
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const learner = new Learner(model, { loss: 'mse', optimizer });
    await expect(learner.lrFind(data, { endLr: 1e-8 })).rejects.toThrow(
      'lrFind: options.endLr: expected a number > startLr',
    );
    await expect(learner.lrFind(data, { num_iter: 5 } as never)).rejects.toThrow('(did you mean "numIter"?)');
    await expect(new Learner(model, { loss: 'mse' }).lrFind(data)).rejects.toThrow(
      'lrFind: learner.optimizer',
    );
    model.dispose();
  });
});
