import { getColumn, parseCsv, penguins, splitTable } from '@descent/datasets';
import { Linear, ReLU, Sequential, Sigmoid } from '@descent/layers';
import { SGD } from '@descent/optim';
import { describe, expect, it } from 'vitest';
import { Learner } from './learner';
import { type ScaleName, TabularPreprocessor } from './tabular-preprocessor';

describe('TabularPreprocessor', () => {
  const table = parseCsv('size,colour,label\n1,red,a\n3,blue,b\n5,red,a\n7,green,b\n100,blue,a\n', {
    source: 't.csv',
  });

  it('one-hot encodes, then scales with statistics of the fitting rows only', () => {
    const { train, test } = splitTable(table, { testSize: 0.4, seed: 3, stratifyBy: 'label' });
    // A colour that only the test rows hold becomes an all-zero one-hot row.
    const pre = TabularPreprocessor.create({ scale: 'standard', handleUnknown: 'ignore' }).fit(train, {
      target: 'label',
    });
    // Seed 3's split leaves green to the test rows alone.
    expect(pre.featureNames).toEqual(['size', 'colour_blue', 'colour_red']);
    const sizes = Array.from((getColumn(train, 'size') as { values: Float64Array }).values);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    const std = Math.sqrt(sizes.reduce((a, b) => a + (b - mean) ** 2, 0) / sizes.length);
    const out = pre.transform(test);
    const testSizes = Array.from((getColumn(test, 'size') as { values: Float64Array }).values);
    testSizes.forEach((v, i) => {
      expect(out.X.data[i * out.X.cols]).toBeCloseTo((v - mean) / std, 5);
    });
    const colours = getColumn(test, 'colour') as { codes: Int32Array; categories: string[] };
    expect(Array.from(colours.codes, (c) => colours.categories[c])).toContain('green');
    expect(out.X.cols).toBe(3); // the unseen green adds no column
    expect(pre.classes).toEqual(['a', 'b']);
  });

  it('round-trips through JSON to identical outputs', () => {
    for (const scale of ['standard', 'minmax', 'robust', 'none'] as ScaleName[]) {
      const pre = TabularPreprocessor.create({ scale }).fit(table, { target: 'label' });
      const back = TabularPreprocessor.fromJSON(JSON.parse(JSON.stringify(pre.toJSON())));
      expect(Array.from(back.transform(table).X.data)).toEqual(Array.from(pre.transform(table).X.data));
      expect(back.inputColumns).toEqual(['size', 'colour']);
    }
  });

  it('refuses an unknown scale and a foreign JSON', () => {
    expect(() => TabularPreprocessor.create({ scale: 'log' as ScaleName })).toThrow(
      /scale: expected one of standard, minmax, robust, none, found "log"/,
    );
    expect(() => TabularPreprocessor.fromJSON({ type: 'Other' })).toThrow(/a TabularPreprocessor/);
  });
});

describe('TabularPreprocessor on tables without usable rows', () => {
  it('names the table when every row is dropped for a missing value, or there is none', () => {
    const train = parseCsv('x,label\n1,a\n2,b\n3,a\n', { source: 'train.csv' });
    const pre = TabularPreprocessor.create({ scale: 'standard', missing: 'drop' }).fit(train, {
      target: 'label',
    });
    const gaps = parseCsv('x,label\nNA,a\n,b\n', { source: 'new.csv' });
    expect(() => pre.transform(gaps)).toThrow(
      'new.csv: expected at least 1 data row to transform, found none: all 2 were dropped for a missing value in the columns the model reads',
    );
    const empty = parseCsv('x,label\n', { source: 'empty.csv' });
    expect(() => pre.transform(empty)).toThrow(
      'empty.csv: expected at least 1 data row to transform, found none',
    );
  });
});

describe('why scaling matters (the course on penguins)', () => {
  async function finalLoss(scale: ScaleName): Promise<number> {
    const data = penguins();
    const { train } = splitTable(data, { testSize: 0.2, seed: 1, stratifyBy: 'sex' });
    const pre = TabularPreprocessor.create({ scale }).fit(train, {
      target: 'sex',
      features: data.taskInfo.features,
    });
    const rows = pre.transform(train);
    const model = new Sequential([
      new Linear(rows.X.cols, 8, { seed: 1 }),
      new ReLU(),
      new Linear(8, 1, { seed: 2 }),
      new Sigmoid(),
    ]);
    const optimizer = new SGD(model.parameters(), { lr: 0.05 });
    const learner = new Learner(model, { loss: 'bce', optimizer });
    const { history } = await learner.fit(
      { X: rows.X, y: rows.y as Float32Array },
      { epochs: 30, batchSize: 16, seed: 1 },
    );
    optimizer.dispose();
    model.dispose();
    return history[history.length - 1].loss;
  }

  it('reaches a clearly lower loss with StandardScaler than without scaling, on the same SGD budget', async () => {
    const scaled = await finalLoss('standard');
    const raw = await finalLoss('none');
    expect(scaled).toBeLessThan(0.35);
    expect(raw).toBeGreaterThan(2 * scaled);
  });
});
