import { describe, expect, it } from 'vitest';
import { ScalerArgumentError } from './errors';
import { badRow, checkColumns, readInput, rowsShape } from './matrix';

describe('readInput', () => {
  it('packs number[][] into a private float64 copy', () => {
    const X = [
      [1, 2],
      [3, Number.NaN],
    ];
    const input = readInput('fit', X, true);
    expect(input).toMatchObject({ kind: 'rows', rows: 2, cols: 2 });
    expect(input.data).toBeInstanceOf(Float64Array);
    expect(Array.from(input.data)).toEqual([1, 2, 3, Number.NaN]);
    input.data[0] = 99;
    expect(X[0][0]).toBe(1);
  });

  it('reads a matrix without copying and reports its element type', () => {
    const data = Float32Array.of(1, 2, 3, 4, 5, 6);
    const input = readInput('transform', { data, rows: 3, cols: 2 }, false);
    expect(input.kind).toBe('float32');
    expect(input.data).toBe(data);
  });

  it('names the row of a ragged number[][]', () => {
    expect(() =>
      readInput(
        'fit',
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8],
        ],
        true,
      ),
    ).toThrow('fit: X[2]: expected 3 values (as in X[0]), found 2');
  });

  it('names a non-numeric value and rejects ±Infinity but not NaN', () => {
    expect(() => readInput('fit', [[1, '2']], true)).toThrow(
      'fit: X[0][1]: expected a number (NaN for a missing value, not ±Infinity), found "2"',
    );
    expect(() => readInput('transform', [[1], [-Infinity]], true)).toThrow('transform: X[1][0]:');
    expect(() => readInput('fit', [[1], [null]], true)).toThrow('found null');
    expect(() => readInput('fit', [[Number.NaN]], true)).not.toThrow();
  });

  it('scans a matrix for ±Infinity when asked, naming row and column', () => {
    const m = { data: Float64Array.of(1, 2, 3, Infinity), rows: 2, cols: 2 };
    expect(() => readInput('fit', m, true)).toThrow(
      'fit: X.data[3] (row 1, column 1): expected a finite number or NaN (a missing value), found Infinity',
    );
    expect(() => readInput('transform', m, false)).not.toThrow();
  });

  it('rejects empty input', () => {
    expect(() => readInput('fit', [], true)).toThrow('fit: X: expected at least 1 row, found 0 rows');
    expect(() => readInput('fit', [[], []], true)).toThrow(
      'fit: X: expected at least 1 column, found 0 columns',
    );
    expect(() => readInput('fit', { data: new Float64Array(0), rows: 0, cols: 3 }, true)).toThrow(
      'expected at least 1 row',
    );
  });

  it('explains 1-D input and other shapes', () => {
    expect(() => readInput('fit', [1, 2, 3], true)).toThrow(
      'fit: X[0]: expected a row (an array of numbers) (for one feature pass [[x1], [x2], ...]), found 1',
    );
    expect(() => readInput('fit', 'abc', true)).toThrow(ScalerArgumentError);
    expect(() => readInput('fit', { data: [1, 2], rows: 1, cols: 2 }, true)).toThrow(
      'fit: X.data: expected a Float32Array or Float64Array, found [1, 2]',
    );
    expect(() => readInput('fit', { data: new Float64Array(5), rows: 2, cols: 2 }, true)).toThrow(
      'fit: X.data: expected length rows * cols = 2 * 2 = 4, found length 5',
    );
    expect(() => readInput('fit', { data: new Float64Array(4), rows: 2.5, cols: 2 }, true)).toThrow(
      'fit: X.rows: expected a non-negative integer, found 2.5',
    );
  });
});

describe('checkColumns, rowsShape and badRow', () => {
  it('says how many columns were expected and found', () => {
    expect(() => checkColumns('transform', 4, 3, 'fit')).toThrow(
      'transform: X: expected 3 columns (as in fit), found 4',
    );
    expect(() => checkColumns('transform', 3, 3, 'fit')).not.toThrow();
  });

  it('reads the shape from the first row', () => {
    expect(rowsShape('transform', [[1, 2, 3], [4]])).toEqual({ rows: 2, cols: 3 });
    expect(() => rowsShape('transform', [[]])).toThrow(
      'transform: X: expected at least 1 column, found 0 columns',
    );
  });

  it('finds what is wrong with a row', () => {
    expect(badRow('transform', 7, 1, 2).message).toBe(
      'transform: X[1]: expected a row (an array of numbers), found 7',
    );
    expect(badRow('transform', [1], 1, 2).message).toBe(
      'transform: X[1]: expected 2 values (as in X[0]), found 1',
    );
    expect(badRow('transform', [1, Infinity], 3, 2).message).toBe(
      'transform: X[3][1]: expected a number (NaN for a missing value, not ±Infinity), found Infinity',
    );
  });
});
