import { describe, expect, it } from 'vitest';
import type { TabularTask } from '../lib/tabular-task';
import { plotRange, rangeGrid } from './tabular-boundary';

const side = (data: number[]) => ({
  X: { data: Float32Array.from(data), rows: data.length / 2, cols: 2 },
  y: new Float32Array(data.length / 2),
});

describe('the tabular boundary', () => {
  it('covers every row, padded by a tenth of the range', () => {
    const task = { train: side([0, -1, 2, 3]), test: side([1, 1]) } as unknown as TabularTask;
    const range = plotRange(task);
    expect(range.lo).toEqual([-0.2, -1.4]);
    expect(range.hi[0]).toBeCloseTo(2.2, 10);
    expect(range.hi[1]).toBeCloseTo(3.4, 10);
  });

  it('lays its grid out row by row from the top left (low x₁, high x₂)', () => {
    const g = rangeGrid({ lo: [0, 0], hi: [4, 2] }, 2);
    expect(Array.from(g)).toEqual([1, 1.5, 3, 1.5, 1, 0.5, 3, 0.5]);
  });
});
