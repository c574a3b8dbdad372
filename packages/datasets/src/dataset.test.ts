import { describe, expect, it } from 'vitest';
import { checkDataset, type Dataset, subset } from './dataset';
import { toMatrix } from './matrix';

const d: Dataset = {
  X: toMatrix([
    [1, 2],
    [3, 4],
    [5, 6],
  ]),
  y: Float32Array.of(0, 1, 1),
  featureNames: ['a', 'b'],
  targetName: 't',
  task: 'binary',
  classes: ['no', 'yes'],
};

describe('subset', () => {
  it('gathers rows and targets in the given order and copies the names', () => {
    const s = subset(d, [2, 0, 2]);
    expect(Array.from(s.X.data)).toEqual([5, 6, 1, 2, 5, 6]);
    expect(Array.from(s.y)).toEqual([1, 0, 1]);
    expect(s.classes).toEqual(['no', 'yes']);
    expect(s.classes).not.toBe(d.classes);
    expect(s.featureNames).not.toBe(d.featureNames);
    expect({ ...s, X: undefined, y: undefined }).toEqual({ ...d, X: undefined, y: undefined });
    expect(subset(d, []).X.rows).toBe(0);
  });

  it('names an index out of range', () => {
    expect(() => subset(d, [0, 5])).toThrow(/indices\[1\]: expected an integer index in \[0, 3\), found 5/);
  });
});

describe('checkDataset', () => {
  it('names mismatched parts', () => {
    expect(() => checkDataset('d', { ...d, featureNames: ['a'] })).toThrow(
      /d.featureNames: expected 2 names \(the columns of d.X\), found \["a"\]/,
    );
    expect(() => checkDataset('d', { ...d, y: Float32Array.of(0, 1, 2) })).toThrow(
      /d.y\[2\]: expected a class index in 0..1, found 2/,
    );
    expect(() => checkDataset('d', { ...d, task: 'ranking' })).toThrow(
      /d.task: expected one of regression, binary, multiclass, found "ranking"/,
    );
    expect(() => checkDataset('d', { ...d, y: [0, 1, 1] })).toThrow(
      /d.y: expected a Float32Array, found \[0, 1, 1\]/,
    );
    expect(() => checkDataset('d', null)).toThrow(/d: expected a Dataset object, found null/);
    expect(checkDataset('d', d)).toBe(d);
  });
});
