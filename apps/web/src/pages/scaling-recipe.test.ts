import { initBackend, tf } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { penguinRows, scaledLossDomain, scaledViews, scalingTrials } from './scaling-recipe';

beforeAll(async () => {
  await initBackend();
});

const finite = (rows: number[][], j: number) => rows.map((r) => r[j]).filter((v) => Number.isFinite(v));

describe('page 4: scaling the penguins', () => {
  it('StandardScaler centres each measurement at 0 with spread 1; MinMaxScaler maps it onto [0, 1]', () => {
    const { rows } = penguinRows();
    const views = scaledViews(rows);
    for (let j = 0; j < 4; j++) {
      const s = finite(views.standard, j);
      const mean = s.reduce((a, b) => a + b, 0) / s.length;
      const sd = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / s.length);
      expect(mean).toBeCloseTo(0, 6);
      expect(sd).toBeCloseTo(1, 3);
      const m = finite(views.minmax, j);
      expect(Math.min(...m)).toBeCloseTo(0, 9);
      expect(Math.max(...m)).toBeCloseTo(1, 9);
    }
    // Raw, body mass (grams) dwarfs bill depth (millimetres): the lesson's premise.
    expect(Math.max(...finite(rows, 3))).toBeGreaterThan(100 * Math.max(...finite(rows, 1)));
  });

  it('the networks start from the same weights; standardized data trains to a lower loss than raw', async () => {
    const before = tf.memory().numTensors;
    const { table } = penguinRows();
    const trials = scalingTrials(table, ['none', 'standard'], { seed: 1, optimizer: 'adam', lr: 0.01 });
    const firstWeights = trials.map((t) =>
      Array.from(t.model.model.trainableParameters()[0].value.dataSync()),
    );
    expect(firstWeights[1]).toEqual(firstWeights[0]);
    const last: number[] = [];
    for (const t of trials) {
      const { history } = await t.model.learner.fit(t.task.train, { epochs: 15, batchSize: 32, seed: 1 });
      last.push(history[history.length - 1].loss);
    }
    expect(last[1]).toBeLessThan(0.6);
    expect(last[1]).toBeLessThan(last[0]);
    for (const t of trials) t.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("the loss axis spans the scaled runs: the raw run's huge first losses leave the top, the scalers stay apart", async () => {
    const before = tf.memory().numTensors;
    const { table } = penguinRows();
    const trials = scalingTrials(table, ['none', 'standard', 'minmax'], {
      seed: 1,
      optimizer: 'adam',
      lr: 0.01,
    });
    const losses: number[][] = [];
    for (const t of trials) {
      const { history } = await t.model.learner.fit(t.task.train, { epochs: 40, batchSize: 32, seed: 1 });
      losses.push(history.map((l) => l.loss));
    }
    const domain = scaledLossDomain(losses.slice(1));
    expect(domain).toBeDefined();
    const [low, high] = domain!;
    expect(Math.max(...losses[0])).toBeGreaterThan(high);
    // On the log axis, the two scalers' last losses sit at least a tenth of its height apart.
    const at = (l: number) => (Math.log(l) - Math.log(low)) / (Math.log(high) - Math.log(low));
    const lastStandard = losses[1][losses[1].length - 1];
    const lastMinmax = losses[2][losses[2].length - 1];
    expect(Math.abs(at(lastStandard) - at(lastMinmax))).toBeGreaterThan(0.1);
    // Versus the raw run's range, which squashed them together.
    const all = losses.flat();
    const rawSpan = Math.log(Math.max(...all)) - Math.log(Math.min(...all));
    expect((Math.log(high) - Math.log(low)) / rawSpan).toBeLessThan(0.6);
    for (const t of trials) t.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(scaledLossDomain([[], [Number.NaN]])).toBeUndefined();
  });
});
