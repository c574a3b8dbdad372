import { initBackend, tf } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTabularModel, prepareTabular } from '../lib/tabular-task';
import { describeTask, readCsv, tabularSetup, testReport } from './tabular-recipe';

beforeAll(async () => {
  await initBackend();
});

describe('page 5: tabular classification', () => {
  it('the three sources: penguin sex (binary), species (3 classes), a CSV with every other column as features', () => {
    const sex = tabularSetup('penguins-sex', { table: null, target: '' })!;
    const species = tabularSetup('penguins-species', { table: null, target: '' })!;
    expect(sex.target).toBe('sex');
    expect(prepareTabular(sex, { seed: 1, scale: 'standard' }).binary).toBe(true);
    const task = prepareTabular(species, { seed: 1, scale: 'standard' });
    expect(task.classes).toHaveLength(3);
    expect(describeTask(species, task)).toMatch(
      /training rows, \d+ test rows; 7 inputs after encoding .*classes Adelie/,
    );
    expect(tabularSetup('csv', { table: null, target: 'y' })).toBeNull();
    const csv = readCsv('a,b,y\n1,2,0\n3,4,1\n', 'mine.csv');
    expect(tabularSetup('csv', { table: csv, target: 'y' })).toMatchObject({
      target: 'y',
      features: ['a', 'b'],
    });
  });

  it('a CSV needs at least two columns, and says which file and what it found', () => {
    expect(() => readCsv('only\n1\n2\n', 'one.csv')).toThrow(
      'one.csv: expected at least 2 columns (features and a target), found 1',
    );
  });

  it('after training, the test report counts every test row; two classes give a ROC area well above chance', async () => {
    const before = tf.memory().numTensors;
    const setup = tabularSetup('penguins-sex', { table: null, target: '' })!;
    const task = prepareTabular(setup, { seed: 1, scale: 'standard' });
    const model = makeTabularModel(task, {
      hidden: [16, 8],
      activation: 'relu',
      optimizer: 'adam',
      lr: 0.01,
      seed: 1,
    });
    await model.learner.fit(task.train, { epochs: 20, batchSize: 32, seed: 1 });
    const report = await testReport(model.learner, task);
    const counted = report.confusion.flat().reduce((a, b) => a + b, 0);
    expect(counted).toBe(task.test.X.rows);
    expect(report.auc).toBeGreaterThan(0.8);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
