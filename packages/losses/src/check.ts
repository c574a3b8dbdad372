import { DescentArgumentError, describe, readIfResident, type Tensor, tf } from '@descent/tensor';

// Shared boundary checks. Every message starts with the loss's name, then the argument.

const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

function isTensor(value: unknown): value is Tensor {
  return (
    value != null &&
    typeof value === 'object' &&
    Array.isArray((value as Tensor).shape) &&
    typeof (value as Tensor).dtype === 'string' &&
    typeof (value as Tensor).dataSync === 'function'
  );
}

/** A float32 tensor: losses are differentiated with respect to it. */
export function checkInput(loss: string, argument: string, value: unknown): Tensor {
  if (!isTensor(value)) {
    throw new DescentArgumentError(`${loss}: ${argument}: expected a Tensor, found ${describe(value)}`);
  }
  if (value.isDisposed) {
    throw new DescentArgumentError(`${loss}: ${argument}: expected a live tensor, found a disposed tensor`);
  }
  if (value.dtype !== 'float32') {
    throw new DescentArgumentError(
      `${loss}: ${argument}: expected dtype float32, found dtype ${value.dtype}`,
    );
  }
  return value;
}

/** A target may be float32, int32 or bool; it is compared in float32. */
export function checkTarget(loss: string, value: unknown): Tensor {
  if (!isTensor(value)) {
    throw new DescentArgumentError(`${loss}: target: expected a Tensor, found ${describe(value)}`);
  }
  if (value.isDisposed) {
    throw new DescentArgumentError(`${loss}: target: expected a live tensor, found a disposed tensor`);
  }
  if (value.dtype !== 'float32' && value.dtype !== 'int32' && value.dtype !== 'bool') {
    throw new DescentArgumentError(
      `${loss}: target: expected dtype float32, int32 or bool, found dtype ${value.dtype}`,
    );
  }
  return value;
}

/** PyTorch would broadcast (with a warning); a mismatch is almost always a bug, so it is refused. */
export function checkSameShape(loss: string, input: Tensor, target: Tensor): void {
  const same = input.rank === target.rank && input.shape.every((d, i) => d === target.shape[i]);
  if (!same) {
    throw new DescentArgumentError(
      `${loss}: target: expected shape ${shapeText(input.shape)} (the shape of input), found shape ${shapeText(target.shape)}`,
    );
  }
}

/** The shortest decimal that reads back as the same float32, e.g. 1.2 rather than 1.2000000476837158. */
export function formatFloat32(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  for (let digits = 1; digits < 9; digits++) {
    const text = Number(v.toPrecision(digits));
    if (Math.fround(text) === v) return String(text);
  }
  return String(v);
}

/**
 * Throws at the first value outside [low, high] (NaN included). Skipped where the values could
 * only be read by a synchronous GPU readback (see `readIfResident` in @descent/tensor).
 */
export function checkRange(loss: string, argument: string, t: Tensor, low: number, high: number): void {
  const data = readIfResident(t);
  if (data === null) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= low && v <= high)) {
      throw new DescentArgumentError(
        `${loss}: ${argument}: expected values in [${low}, ${high}], found ${formatFloat32(v)} at ${position(t.shape, i)}`,
      );
    }
  }
}

/** "index [1, 2]" for a flat offset, so the user can find the value in their own tensor. */
export function position(shape: readonly number[], flat: number): string {
  if (shape.length === 0) return 'the only element';
  const index = new Array<number>(shape.length);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = rest % shape[d];
    rest = Math.floor(rest / shape[d]);
  }
  return `index ${shapeText(index)}`;
}

/** Rejects option keys the loss does not know, so that a typo such as `{ reduce: 'sum' }` is not ignored. */
export { checkOptions } from '@descent/tensor';

export interface NumberRange {
  min: number;
  max: number;
  /** Exclude the end itself. */
  minOpen?: boolean;
  maxOpen?: boolean;
}

/** A finite number inside `range`, or a message naming the loss, the option and the interval. */
export function checkNumber(loss: string, argument: string, value: unknown, range: NumberRange): number {
  const { min, max, minOpen = false, maxOpen = false } = range;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (minOpen ? value > min : value >= min) &&
    (maxOpen ? value < max : value <= max);
  if (!ok) {
    const interval = `${minOpen ? '(' : '['}${min}, ${max}${maxOpen || max === Infinity ? ')' : ']'}`;
    throw new DescentArgumentError(
      `${loss}: ${argument}: expected a finite number in ${interval}, found ${describe(value)}`,
    );
  }
  return value as number;
}

export const asFloat = (t: Tensor): Tensor => (t.dtype === 'float32' ? t : tf.cast(t, 'float32'));
