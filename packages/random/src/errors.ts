/**
 * Thrown when an argument has the wrong type or range. This package depends on nothing, so it
 * carries its own copy of the project's error shape: the argument, what was expected, what was found.
 */
export class RandomArgumentError extends Error {
  override name = 'RandomArgumentError';
}

export function argumentError(argument: string, expected: string, found: unknown): RandomArgumentError {
  return new RandomArgumentError(`${argument}: expected ${expected}, found ${describe(found)}`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (ArrayBuffer.isView(value)) {
    return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  }
  return String(value);
}
