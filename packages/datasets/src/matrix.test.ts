import { describe, expect, it } from 'vitest';
import { checkMatrix, fromMatrix, gather, gatherRows, toMatrix } from './matrix';

describe('toMatrix / fromMatrix', () => {
  it('packs rows row-major and unpacks them back', () => {
    const rows = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const m = toMatrix(rows);
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fromMatrix(m)).toEqual(rows);
    expect(fromMatrix({ data: Float64Array.of(0.1, 0.2), rows: 2, cols: 1 })).toEqual([[0.1], [0.2]]);
    expect(toMatrix([])).toEqual({ data: new Float32Array(0), rows: 0, cols: 0 });
  });

  it('names the ragged row and the bad entry', () => {
    expect(() => toMatrix([[1, 2], [3, 4], [5]])).toThrow(
      /rows\[2\]: expected length 2 \(the length of rows\[0\]\), found length 1/,
    );
    expect(() =>
      toMatrix([
        [1, 2],
        [3, '4' as unknown as number],
      ]),
    ).toThrow(/rows\[1\]\[1\]: expected a number, found "4"/);
    expect(() => toMatrix('x' as unknown as number[][])).toThrow(/rows: expected an array of rows/);
  });

  it('rejects a matrix whose data does not match rows * cols', () => {
    expect(() => fromMatrix({ data: new Float32Array(5), rows: 2, cols: 3 })).toThrow(
      /matrix.data: expected length rows \* cols = 2 \* 3 = 6, found length 5/,
    );
    expect(() => checkMatrix('X', { data: [1, 2], rows: 1, cols: 2 })).toThrow(/X: expected a matrix/);
  });
});

describe('gatherRows / gather', () => {
  const X = toMatrix([
    [0, 1],
    [10, 11],
    [20, 21],
  ]);

  it('copies the chosen rows in order, repeats allowed', () => {
    const g = gatherRows(X, Int32Array.of(2, 0, 2));
    expect(fromMatrix(g)).toEqual([
      [20, 21],
      [0, 1],
      [20, 21],
    ]);
    g.data[0] = -1;
    expect(X.data[4]).toBe(20);
    expect(Array.from(gather(Float32Array.of(5, 6, 7), [1, 1, 0]))).toEqual([6, 6, 5]);
    expect(gatherRows(X, []).rows).toBe(0);
  });

  it('converts float64 input to float32 output', () => {
    const g = gatherRows({ data: Float64Array.of(1.5, 2.5), rows: 2, cols: 1 }, [1]);
    expect(g.data).toBeInstanceOf(Float32Array);
    expect(Array.from(g.data)).toEqual([2.5]);
  });

  it('names an index out of range', () => {
    expect(() => gatherRows(X, [0, 3])).toThrow(
      /indices\[1\]: expected an integer index in \[0, 3\), found 3/,
    );
    expect(() => gather([1, 2], [0.5])).toThrow(
      /indices\[0\]: expected an integer index in \[0, 2\), found 0.5/,
    );
  });
});
