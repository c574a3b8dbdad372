/** Min-max scales values into [0, 1] for display; a constant map becomes mid-grey (0.5). */
export function toGrey(values: ArrayLike<number>): number[] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  const range = max - min;
  return Array.from(values, (v) => (range > 0 ? (v - min) / range : 0.5));
}

/** Row-major values → number[rows][cols]. */
export function toRows(values: ArrayLike<number>, offset: number, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: cols }, (_, c) => values[offset + r * cols + c]),
  );
}
