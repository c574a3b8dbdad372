import { UsageError } from './usage-error';

/**
 * The largest values the CLI's flags accept, each with the reason, so that a typo (`--epochs 1e12`)
 * is refused at once instead of running for days or failing deep inside with a raw message.
 */
export const limits = {
  epochs: { max: 1_000_000, why: 'a longer run than any course set needs; a typo should not run for days' },
  steps: { max: 1_000_000, why: 'every step is kept in memory for the trajectory' },
  nsamples: { max: 1_000_000, why: 'each sample runs the model on every background row' },
  background: { max: 10_000, why: 'the explanation costs grow with every background row' },
  width: { max: 16_384, why: 'wider layers than this do not fit in memory with their optimizer state' },
  layers: { max: 64, why: 'deeper MLPs than this do not train without normalisation' },
  parameters: { max: 50_000_000, why: '4 bytes each, and as much again for gradients and optimizer state' },
  channels: { max: 1024, why: 'wider convolutions than this do not fit in memory' },
  imageSide: { max: 1024, why: 'every image is held decoded, 4 bytes per pixel and channel' },
  batchSize: { max: 65_536, why: 'a batch is one tensor in memory' },
  workers: { max: 64, why: 'more threads than cores only slow training down' },
  seed: { max: Number.MAX_SAFE_INTEGER, why: 'larger integers lose digits in a double' },
} as const;

export interface NumberRange {
  min?: number;
  /** The largest value accepted, with the reason the message gives. */
  max?: { max: number; why: string };
  integer?: boolean;
  positive?: boolean;
}

/** `--lr 0.1`: a finite number, optionally bounded. */
export function parseNumber(
  flag: string,
  raw: string,
  { min = -Infinity, max, integer = false, positive = false }: NumberRange = {},
) {
  const value = Number(raw);
  const expected = integer
    ? positive
      ? 'a positive integer'
      : 'an integer'
    : positive
      ? 'a positive number'
      : 'a number';
  const ok =
    raw.trim() !== '' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (!positive || value > 0) &&
    value >= min;
  if (!ok)
    throw new UsageError(
      `${flag}: expected ${expected}${min > -Infinity ? ` >= ${min}` : ''}, found "${raw}"`,
    );
  if (max && value > max.max)
    throw new UsageError(
      `${flag}: expected at most ${max.max.toLocaleString('en-US')} (${max.why}), found "${raw}"`,
    );
  return value;
}

/** `--start -1.5,2`: comma-separated numbers, optionally of a fixed count. */
export function parseNumberList(flag: string, raw: string, count?: number): number[] {
  const parts = raw.split(',').map((s) => s.trim());
  const values = parts.map((p) => Number(p));
  const bad = parts.findIndex((p, i) => p === '' || !Number.isFinite(values[i]));
  if (bad >= 0) {
    throw new UsageError(
      `${flag}: expected comma-separated numbers, found "${raw}" (item ${bad + 1} is "${parts[bad]}")`,
    );
  }
  if (count !== undefined && values.length !== count) {
    throw new UsageError(`${flag}: expected ${count} numbers, found ${values.length} in "${raw}"`);
  }
  return values;
}

/** `--hidden 32,16`: layer widths, each at most `max` (default: limits.width). */
export function parseWidths(flag: string, raw: string, max: NumberRange['max'] = limits.width): number[] {
  const widths = raw
    .split(',')
    .map((s) => parseNumber(flag, s.trim(), { integer: true, positive: true, max }));
  if (widths.length > limits.layers.max) {
    throw new UsageError(
      `${flag}: expected at most ${limits.layers.max} widths (${limits.layers.why}), found ${widths.length}`,
    );
  }
  return widths;
}

/** The parameter count of an MLP, refused above limits.parameters before anything is allocated. */
export function checkMlpSize(flag: string, widths: number[]): void {
  let count = 0;
  for (let i = 1; i < widths.length; i++) count += (widths[i - 1] + 1) * widths[i];
  if (count > limits.parameters.max) {
    throw new UsageError(
      `${flag}: expected a network of at most ${limits.parameters.max.toLocaleString('en-US')} parameters (${limits.parameters.why}), found ${count.toLocaleString('en-US')} in ${widths.join('-')}`,
    );
  }
}

export function parseChoice<T extends string>(flag: string, raw: string, choices: readonly T[]): T {
  if (!choices.includes(raw as T)) {
    throw new UsageError(`${flag}: expected one of ${choices.join(', ')}, found "${raw}"`);
  }
  return raw as T;
}
