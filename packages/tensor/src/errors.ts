/** Thrown when an argument has the wrong shape, dtype, range or type. */
export class DescentArgumentError extends Error {
  override name = 'DescentArgumentError';
}

/** Builds the message the project uses everywhere: the argument, what was expected, what was found. */
export function argumentError(argument: string, expected: string, found: unknown): DescentArgumentError {
  return new DescentArgumentError(`${argument}: expected ${expected}, found ${describe(found)}`);
}

/** A short text for a value in error messages; a tensor is shown by dtype and shape. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (value && typeof value === 'object' && 'shape' in value && 'dtype' in value) {
    const t = value as { shape: number[]; dtype: string };
    return `a ${t.dtype} tensor of shape [${t.shape.join(', ')}]`;
  }
  return String(value);
}
