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

/** Like argumentError, for a `found` that is already a description rather than a value. */
export function mismatch(name: string, expected: string, found: string): DescentArgumentError {
  return new DescentArgumentError(`${name}: expected ${expected}, found ${found}`);
}
