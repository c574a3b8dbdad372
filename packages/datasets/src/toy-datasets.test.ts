import { describe, expect, it } from 'vitest';
import { moons } from './moons';
import { trainTestSplit } from './split';
import { dosage, loadToyDataset, toyDatasetNames } from './toy-datasets';

describe('dosage', () => {
  it('holds the three patients of the course', () => {
    const d = dosage();
    expect(Array.from(d.X.data)).toEqual([0, 0.5, 1]);
    expect(Array.from(d.y)).toEqual([0, 1, 0]);
    expect([d.X.rows, d.X.cols]).toEqual([3, 1]);
    expect(d.featureNames).toEqual(['dosage']);
    expect(d.targetName).toBe('efficacy');
    expect(d.task).toBe('regression');
    expect(d.classes).toBeUndefined();
  });
});

describe('loadToyDataset', () => {
  it('keeps the three dosage patients whole and names them', () => {
    const { train, test, rowNames } = loadToyDataset('dosage', 7);
    expect(test).toBeUndefined();
    expect(train).toEqual(dosage());
    expect(rowNames).toEqual({ title: 'patient', names: ['low', 'medium', 'high'] });
  });

  it('holds out a seeded, stratified fifth of the other sets', () => {
    for (const name of toyDatasetNames.filter((n) => n !== 'dosage')) {
      const { train, test, rowNames } = loadToyDataset(name, 3);
      expect(rowNames).toBeUndefined();
      const held = test?.X.rows ?? 0;
      expect(held / (train.X.rows + held)).toBeCloseTo(0.2, 1);
    }
    const split = loadToyDataset('moons', 3);
    expect(split).toEqual(trainTestSplit(moons({ seed: 3 }), { testSize: 0.2, seed: 3 }));
  });

  it('refuses an unknown name', () => {
    expect(() => loadToyDataset('iris' as never, 0)).toThrow(
      /name: expected one of dosage, moons, circles, spiral, xor, blobs, found "iris"/,
    );
  });
});
