import { argumentError } from './errors';

/** Rejects `moons(100)` and friends: options come as an object so every default stays visible. */
export function checkOptions(name: string, options: unknown, example: string): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw argumentError(name, `an options object like ${example}`, options);
  }
}

export function checkInt(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    const what =
      min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : `an integer >= ${min}`;
    throw argumentError(name, what, value);
  }
  return value;
}

export function checkNonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw argumentError(name, 'a finite number >= 0', value);
  }
  return value;
}

export function checkSeed(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw argumentError(name, 'an integer seed', value);
  }
  return value;
}

export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw argumentError(name, 'true or false', value);
  return value;
}

/** Checks that every entry is an integer index in [0, n). */
export function checkIndices(name: string, indices: unknown, n: number): ArrayLike<number> {
  if (!Array.isArray(indices) && !ArrayBuffer.isView(indices)) {
    throw argumentError(name, 'an array or typed array of row indices', indices);
  }
  const list = indices as ArrayLike<number>;
  for (let i = 0; i < list.length; i++) {
    const k = list[i];
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= n) {
      throw argumentError(`${name}[${i}]`, `an integer index in [0, ${n})`, k);
    }
  }
  return list;
}
