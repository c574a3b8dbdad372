// Helpers shared by the tests; not exported from the package.
import { expect } from 'vitest';
import type { DenseMatrix } from './matrix';

/** A seeded uniform [0, 1) stream (mulberry32), so test data is the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** rows x cols of uniform values in [lo, hi). */
export function randomRows(rows: number, cols: number, seed: number, lo = -5, hi = 5): number[][] {
  const next = seeded(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => lo + (hi - lo) * next()));
}

export function toMatrix(rows: number[][], kind: 'float32' | 'float64' = 'float64'): DenseMatrix {
  const cols = rows[0].length;
  const data =
    kind === 'float32' ? new Float32Array(rows.length * cols) : new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    data.set(row, i * cols);
  });
  return { data, rows: rows.length, cols };
}

export function column(rows: number[][], j: number): number[] {
  return rows.map((r) => r[j]);
}

/** Fixture encoding back to numbers: "NaN", "Infinity", "-Infinity" strings. */
export function decode<T>(v: T): T {
  if (Array.isArray(v)) return v.map(decode) as T;
  if (v === 'NaN') return Number.NaN as T;
  if (v === 'Infinity') return Infinity as T;
  if (v === '-Infinity') return -Infinity as T;
  return v;
}

/**
 * Relative closeness: |a - b| <= tol * max(|b|, floor), NaN only against NaN. With floor 0 this is
 * purely relative (a 0 must be matched exactly); a matrix column passes its own largest |b| as
 * the floor, so a value that is 0 after cancellation is judged on the column's scale.
 */
export function relativeError(a: number, b: number, floor = 0): number {
  if (Number.isNaN(b) || Number.isNaN(a)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  const scale = Math.max(Math.abs(b), floor);
  return scale === 0 ? Infinity : Math.abs(a - b) / scale;
}

/** Largest relativeError over a vector (floor 0) or a matrix (floor: each column's largest |b|). */
export function maxRelativeError(actual: unknown, expected: unknown): number {
  if (expected === null || actual === null) return actual === expected ? 0 : Infinity;
  if (typeof expected === 'number') return relativeError(actual as number, expected);
  const e = expected as unknown[];
  const a = actual as unknown[];
  if (!Array.isArray(a) || a.length !== e.length) return Infinity;
  if (!Array.isArray(e[0]))
    return Math.max(0, ...e.map((b, i) => relativeError(a[i] as number, b as number)));
  const rows = e as number[][];
  const got = a as number[][];
  let worst = 0;
  for (let j = 0; j < rows[0].length; j++) {
    const floor = Math.max(0, ...rows.map((r) => (Number.isNaN(r[j]) ? 0 : Math.abs(r[j]))));
    for (let i = 0; i < rows.length; i++) {
      if (got[i].length !== rows[i].length) return Infinity;
      worst = Math.max(worst, relativeError(got[i][j], rows[i][j], floor));
    }
  }
  return worst;
}

/** Whether two values (numbers, arrays, nested arrays) are the same float64 values, NaN equal to NaN and -0 to 0. */
export function sameValues(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValues(x, b[i]));
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || (a === 0 && b === 0);
  return a === b;
}

/** Every entry of `actual` toBeCloseTo the same entry of `expected`, to `digits` decimals. */
export function expectAllClose(actual: number[][], expected: number[][], digits: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    for (let j = 0; j < expected[i].length; j++) expect(actual[i][j]).toBeCloseTo(expected[i][j], digits);
  }
}
