/**
 * Thrown when an argument has the wrong type, size or range. This package depends on no tensor
 * library, so it carries its own copy of the project's error shape rather than importing
 * @descent/tensor's.
 */
export class DatasetArgumentError extends Error {
  override name = 'DatasetArgumentError';
}

/** The project-wide message: the argument, what was expected, what was found. */
export function argumentError(argument: string, expected: string, found: unknown): DatasetArgumentError {
  return new DatasetArgumentError(`${argument}: expected ${expected}, found ${describe(found)}`);
}

/** A found value already put into words, e.g. `shown('length 5')`, so describe() leaves it unquoted. */
export class Shown {
  constructor(readonly text: string) {}
}

export function shown(text: string): Shown {
  return new Shown(text);
}

export function describe(value: unknown): string {
  if (value instanceof Shown) return value.text;
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const shown = value.slice(0, 8).map(describe).join(', ');
    return `[${shown}${value.length > 8 ? `, ... (${value.length} items)` : ''}]`;
  }
  if (ArrayBuffer.isView(value)) {
    return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  }
  if (value !== null && typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}
