import { UsageError } from './usage-error';

/** `--lr 0.1`: a finite number, optionally bounded. */
export function parseNumber(
  flag: string,
  raw: string,
  { min = -Infinity, integer = false, positive = false } = {},
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

/** `--hidden 32,16`: layer widths. */
export function parseWidths(flag: string, raw: string): number[] {
  return raw.split(',').map((s) => parseNumber(flag, s.trim(), { integer: true, positive: true }));
}

export function parseChoice<T extends string>(flag: string, raw: string, choices: readonly T[]): T {
  if (!choices.includes(raw as T)) {
    throw new UsageError(`${flag}: expected one of ${choices.join(', ')}, found "${raw}"`);
  }
  return raw as T;
}
