/**
 * Errors of @descent/scalers. The package depends on no tensor library, so it carries its own copy
 * of the project's error shape (argument, expected, found) instead of importing @descent/tensor's.
 */

/** Base class of every error this package throws on purpose. */
export class ScalerError extends Error {
  override name = 'ScalerError';
}

/** An argument or option has the wrong type, shape or range. */
export class ScalerArgumentError extends ScalerError {
  override name = 'ScalerArgumentError';
}

/** A fitted attribute or transform was asked for before fit() (scikit-learn's NotFittedError). */
export class NotFittedError extends ScalerError {
  override name = 'NotFittedError';
}

/** The project-wide message: `argument: expected <what>, found <what>`. */
export function argumentError(argument: string, expected: string, found: unknown): ScalerArgumentError {
  return new ScalerArgumentError(`${argument}: expected ${expected}, found ${describe(found)}`);
}

/** A found value already put into words, so describe() leaves it unquoted, e.g. `shown('4 columns')`. */
export class Shown {
  constructor(readonly text: string) {}
}

export function shown(text: string): Shown {
  return new Shown(text);
}

export function describe(value: unknown): string {
  if (value instanceof Shown) return value.text;
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  if (Array.isArray(value)) {
    const head = value.slice(0, 8).map(describe).join(', ');
    return `[${head}${value.length > 8 ? `, ... (${value.length} items)` : ''}]`;
  }
  if (ArrayBuffer.isView(value)) {
    const length = (value as unknown as ArrayLike<number>).length;
    return `a ${value.constructor.name} of length ${length}`;
  }
  if (value !== null && typeof value === 'object') {
    try {
      const text = JSON.stringify(value);
      return text.length > 80 ? `${text.slice(0, 80)}...` : text;
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}
