/** The error every public function throws for bad input: names the argument, what it expected and what it found. */
export class ShapArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapArgumentError';
  }
}

export function argumentError(argument: string, expected: string, found: unknown): ShapArgumentError {
  return new ShapArgumentError(`${argument}: expected ${expected}, found ${describe(found)}`);
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) {
    const head = value.slice(0, 6).map(describe).join(', ');
    return value.length > 6 ? `[${head}, … (${value.length} items)]` : `[${head}]`;
  }
  if (ArrayBuffer.isView(value)) {
    return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.rows === 'number' && typeof o.cols === 'number') return `a matrix of ${o.rows} × ${o.cols}`;
    return `an object with keys {${Object.keys(o).slice(0, 8).join(', ')}}`;
  }
  return String(value);
}

/** Checks a user seed: any safe integer (the rule of @descent/random, with this package's error). */
export function checkSeed(seed: unknown, arg = 'seed'): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw argumentError(arg, 'an integer', seed);
  return seed;
}
