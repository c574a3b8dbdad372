import { initBackend, tf } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { penguinRows, scaledViews, scalingTrials } from './scaling-recipe';

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
});
