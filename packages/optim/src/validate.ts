import { argumentError, DescentArgumentError } from '@descent/tensor';

/** A finite number that is at least `min`. */
export function atLeast(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw argumentError(name, `a finite number >= ${min}`, value);
  }
  return value;
}

/** A finite number greater than `min`. */
export function above(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= min) {
    throw argumentError(name, `a finite number > ${min}`, value);
  }
  return value;
}

/** A number in [0, 1): a decay rate such as a beta. */
export function unitRate(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw argumentError(name, 'a number in [0, 1)', value);
  }
  return value;
}

/** A number in [0, 1]. */
export function fraction(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw argumentError(name, 'a number in [0, 1]', value);
  }
  return value;
}

export function positiveInt(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw argumentError(name, 'a positive integer', value);
  }
  return value;
}

export function bool(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw argumentError(name, 'true or false', value);
  return value;
}

/** Rejects option keys the constructor does not know, so a typo (`weight_decay`) is not ignored. */
export function knownKeys(name: string, options: object | undefined, allowed: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object')
    throw argumentError(name, 'an options object', options);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw argumentError(`${name}.${key}`, `one of ${allowed.join(', ')}`, key);
  }
}

/** Like argumentError, for a `found` that is already a description rather than a value. */
export function mismatch(name: string, expected: string, found: string): DescentArgumentError {
  return new DescentArgumentError(`${name}: expected ${expected}, found ${found}`);
}
