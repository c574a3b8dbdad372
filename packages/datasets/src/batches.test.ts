import { describe, expect, it } from 'vitest';
import { batches, epochBatches, numBatches } from './batches';
import type { Dataset } from './dataset';
import { toMatrix } from './matrix';

const sorted = (a: Iterable<number>) => [...a].sort((x, y) => x - y);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('batches', () => {
  it('visits every index exactly once per pass, with a short last batch', () => {
    const bs = batches(10, 4, { seed: 1 });
    const list = [...bs];
    expect(bs.length).toBe(3);
    expect(list.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(sorted(list.flatMap((b) => [...b]))).toEqual(range(10));
    expect(list.flatMap((b) => [...b])).not.toEqual(range(10));
  });

  it('drops the short last batch when asked', () => {
    const list = [...batches(10, 4, { seed: 1, dropLast: true })];
    expect(list.map((b) => b.length)).toEqual([4, 4]);
    expect(new Set(list.flatMap((b) => [...b])).size).toBe(8);
    expect(numBatches(10, 4, true)).toBe(2);
    expect([...batches(8, 4, { dropLast: true })]).toHaveLength(2);
    expect([...batches(3, 4, { dropLast: true })]).toHaveLength(0);
  });

  it('is reproducible, replays on every iteration, and keeps order without shuffle', () => {
    const bs = batches(20, 6, { seed: 2 });
    const first = [...bs];
    expect([...bs]).toEqual(first);
    expect([...batches(20, 6, { seed: 2 })]).toEqual(first);
    expect([...batches(20, 6, { seed: 3 })]).not.toEqual(first);
    expect([...batches(5, 2, { shuffle: false })].map((b) => [...b])).toEqual([[0, 1], [2, 3], [4]]);
    expect([...batches(0, 3)]).toEqual([]);
  });

  it('names bad arguments', () => {
    expect(() => batches(10, 0)).toThrow(/batchSize: expected a positive integer, found 0/);
    expect(() => batches(-1, 2)).toThrow(/n: expected a non-negative integer, found -1/);
    expect(() => batches(10, 2, { dropLast: 'yes' as unknown as boolean })).toThrow(
      /dropLast: expected true or false, found "yes"/,
    );
    expect(() => batches(10, 2, 5 as never)).toThrow(/options: expected an options object/);
  });
});

describe('epochBatches', () => {
  const rows = range(23).map((i) => [i, 10 * i]);
  const dataset: Dataset = {
    X: toMatrix(rows),
    y: Float32Array.from(range(23), (i) => i % 3),
    featureNames: ['a', 'b'],
    targetName: 'c',
    task: 'multiclass',
    classes: ['p', 'q', 'r'],
  };

  it('yields gathered rows that match their indices, each row once per epoch', () => {
    const epoch = epochBatches(dataset, 5, { seed: 4, epoch: 0 });
    expect(epoch.length).toBe(5);
    const seen: number[] = [];
    for (const { X, y, indices } of epoch) {
      expect(X.rows).toBe(indices.length);
      expect(X.cols).toBe(2);
      indices.forEach((row, k) => {
        expect(X.data[2 * k]).toBe(row);
        expect(X.data[2 * k + 1]).toBe(10 * row);
        expect(y[k]).toBe(row % 3);
      });
      seen.push(...indices);
    }
    expect(sorted(seen)).toEqual(range(23));
  });

  it('shuffles each epoch differently but reproducibly', () => {
    const order = (epoch: number, seed = 4) =>
      [...epochBatches(dataset, 5, { seed, epoch })].flatMap((b) => [...b.indices]);
    expect(order(0)).toEqual(order(0));
    expect(order(1)).toEqual(order(1));
    expect(order(1)).not.toEqual(order(0));
    expect(order(2)).not.toEqual(order(1));
    expect(order(0, 5)).not.toEqual(order(0, 4));
  });

  it('handles the last partial batch and names bad arguments', () => {
    const sizes = [...epochBatches(dataset, 10)].map((b) => b.X.rows);
    expect(sizes).toEqual([10, 10, 3]);
    expect([...epochBatches(dataset, 10, { dropLast: true })].map((b) => b.y.length)).toEqual([10, 10]);
    expect(() => epochBatches(dataset, 10, { epoch: -1 })).toThrow(
      /epoch: expected a non-negative integer, found -1/,
    );
    expect(() => epochBatches({ ...dataset, y: Float32Array.of(0, 5) }, 2)).toThrow(
      /dataset.y: expected length 23/,
    );
  });
});
