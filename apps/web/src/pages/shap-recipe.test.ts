import { Explanation } from '@descent/shap';
import { initBackend, tf } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  birdLabel,
  inOriginalUnits,
  penguinClassifier,
  penguinExplainer,
  probabilityOfMale,
} from './shap-recipe';

beforeAll(async () => {
  await initBackend();
});

const logit = (p: number) => Math.log(p / (1 - p));

describe('page 9: SHAP on the penguin classifier', () => {
  it("each bird's values add up from the base to the model's log-odds; shown in grams, not z-scores", async () => {
    const before = tf.memory().numTensors;
    const { task, model } = penguinClassifier(1);
    await model.learner.fit(task.train, { epochs: 5, batchSize: 32, seed: 1 });
    let between = 0;
    const f = probabilityOfMale(model.learner, async () => {
      between++;
    });
    const few = { data: task.test.X.data.subarray(0, 3 * task.test.X.cols), rows: 3, cols: task.test.X.cols };
    const explained = await penguinExplainer(f, task, 1).explain(few);
    expect(between).toBeGreaterThan(0);
    const p = await f(few);
    for (let i = 0; i < 3; i++) {
      const sum = explained.values[i].reduce((a, b) => a + b, explained.baseValues[i]);
      expect(sum).toBeCloseTo(logit(p[i]), 3);
    }
    // Three rows explained, not the whole test set: the units stay as they were.
    expect(inOriginalUnits(explained, task)).toBe(explained);
    // One row per test bird: the values stay, the data become the table's own units.
    const n = task.test.X.rows;
    const zeros = () => task.featureNames.map(() => 0);
    const whole = new Explanation({
      values: Array.from({ length: n }, zeros),
      baseValues: 0,
      data: Array.from({ length: n }, zeros),
      featureNames: task.featureNames,
    });
    const shown = inOriginalUnits(whole, task);
    const mass = task.featureNames.indexOf('body_mass_g');
    expect(mass).toBeGreaterThanOrEqual(0);
    for (const row of shown.data) expect(row[mass]).toBeGreaterThan(2000);
    expect(shown.values).toEqual(whole.values);
    expect(birdLabel(task, 0)).toMatch(/^#1: (Adelie|Chinstrap|Gentoo), (male|female), \d+ g$/);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
