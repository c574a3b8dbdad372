import { describe, expect, it } from 'vitest';
import { blobs } from './blobs';
import { dosageNoisy } from './dosage-noisy';
import { moons } from './moons';
import { splitIndices, trainTestSplit } from './split';
import { classCounts, rowKeys } from './testing';

function expectPartition(train: Int32Array, test: Int32Array, n: number) {
  const all = [...train, ...test].sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
}

describe('splitIndices', () => {
  it('makes disjoint sides that cover every index, sized round(n * testSize)', () => {
    for (const [n, testSize, expected] of [
      [100, 0.2, 20],
      [101, 0.25, 25],
      [10, 0.33, 3],
      [2, 0.1, 1],
      [5, 0.99, 4],
    ]) {
      const { train, test } = splitIndices(n, { testSize, seed: 1 });
      expect(test.length).toBe(expected);
      expectPartition(train, test, n);
    }
  });

  it('gives the same split for a seed and another for another seed', () => {
    const a = splitIndices(50, { seed: 3 });
    expect(splitIndices(50, { seed: 3 })).toEqual(a);
    expect(splitIndices(50, { seed: 4 }).test).not.toEqual(a.test);
    expect(splitIndices(50)).toEqual(splitIndices(50, { seed: 0 }));
  });

  it('keeps label proportions when stratifying', () => {
    // 60 of label 0, 30 of label 5, 10 of label 2, in blocks
    const labels = [...new Array(60).fill(0), ...new Array(30).fill(5), ...new Array(10).fill(2)];
    const { train, test } = splitIndices(100, { testSize: 0.3, seed: 2, stratifyBy: labels });
    expectPartition(train, test, 100);
    const inTest = classCounts(Array.from(test, (i) => labels[i]));
    expect(inTest).toEqual(
      new Map([
        [0, 18],
        [5, 9],
        [2, 3],
      ]),
    );
    // test indices are shuffled, not grouped by label
    expect(Array.from(test, (i) => labels[i])).not.toEqual([...Array.from(test, (i) => labels[i])].sort());
  });

  it('gives every label with two or more samples at least one test sample and one train sample', () => {
    const labels = [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 3];
    const { train, test } = splitIndices(labels.length, { testSize: 0.1, seed: 5, stratifyBy: labels });
    const inTest = classCounts(Array.from(test, (i) => labels[i]));
    // round(2 * 0.1) = 0 -> 1; round(8 * 0.1) = 1; the single 2 stays in train; round(0.3) -> 1
    expect(inTest).toEqual(
      new Map([
        [0, 1],
        [1, 1],
        [3, 1],
      ]),
    );
    expect(Array.from(train, (i) => labels[i])).toContain(2);
    const high = splitIndices(4, { testSize: 0.9, stratifyBy: [0, 0, 1, 1] });
    expect(high.train.length).toBe(2);
  });

  it('names bad arguments', () => {
    expect(() => splitIndices(1)).toThrow(/n: expected an integer >= 2, found 1/);
    expect(() => splitIndices(10, { testSize: 0 })).toThrow(
      /testSize: expected a fraction in \(0, 1\), found 0/,
    );
    expect(() => splitIndices(10, { testSize: 2 })).toThrow(
      /testSize: expected a fraction in \(0, 1\), found 2/,
    );
    expect(() => splitIndices(3, { stratifyBy: [0, 1] })).toThrow(
      /stratifyBy: expected length 3 \(one label per sample\), found length 2/,
    );
    expect(() => splitIndices(2, { stratifyBy: [0, Number.NaN] })).toThrow(
      /stratifyBy\[1\]: expected a finite number, found NaN/,
    );
    expect(() => splitIndices(3, { stratifyBy: [0, 1, 2] })).toThrow(
      /stratifyBy: expected at least one label with 2 or more samples, found 3 singletons/,
    );
  });
});

describe('trainTestSplit', () => {
  it('stratifies classification sets by default and keeps their names', () => {
    const d = blobs({
      n: 150,
      centers: [
        [0, 0],
        [5, 5],
        [9, 0],
      ],
      seed: 1,
    });
    const { train, test } = trainTestSplit(d, { seed: 2 });
    expect(classCounts(test.y)).toEqual(
      new Map([
        [0, 10],
        [1, 10],
        [2, 10],
      ]),
    );
    expect(train.X.rows + test.X.rows).toBe(150);
    expect(rowKeys(d)).toEqual([...rowKeys(train), ...rowKeys(test)].sort());
    expect(test.classes).toEqual(['0', '1', '2']);
    expect(test.featureNames).toEqual(d.featureNames);
    expect(train.task).toBe('multiclass');
  });

  it('can turn stratification off, and splits regression sets without it', () => {
    const d = moons({ n: 200, seed: 1 });
    const loose = trainTestSplit(d, { stratify: false, seed: 6, testSize: 0.25 });
    expect(loose.test.X.rows).toBe(50);
    const r = dosageNoisy({ n: 60 });
    const { train, test } = trainTestSplit(r, { seed: 1 });
    expect([train.X.rows, test.X.rows]).toEqual([48, 12]);
    expect(test.targetName).toBe('efficacy');
    expect(trainTestSplit(r, { seed: 1 })).toEqual({ train, test });
    expect(trainTestSplit(r, { seed: 2 }).test.y).not.toEqual(test.y);
  });

  it('refuses to stratify a regression set and names a broken dataset', () => {
    expect(() => trainTestSplit(dosageNoisy(), { stratify: true })).toThrow(
      /stratify: expected false for a 'regression' dataset \(it has no classes\), found true/,
    );
    const bad = { ...moons({ n: 10 }), y: new Float32Array(9) };
    expect(() => trainTestSplit(bad)).toThrow(
      /dataset.y: expected length 10 \(the rows of dataset.X\), found length 9/,
    );
  });
});
