import { UsageError } from '../usage-error';

/** Rows of a CSV by position: 0 is the first data row after the header; `end` is exclusive. */
export interface RowRange {
  start: number;
  /** Exclusive; undefined runs to the last row. */
  end?: number;
}

const bound = (text: string) => (/^\d+$/.test(text) ? Number(text) : Number.NaN);

/**
 * `--rows 0:20` (Python's slice: rows 0 to 19), `5:` (row 5 to the end), `:10`, or `7` (row 7 only).
 * Negative and reversed ranges are refused, not silently emptied.
 */
export function parseRowRange(raw: string): RowRange {
  const text = raw.trim();
  const parts = text.split(':');
  const bad = () =>
    new UsageError(
      `--rows: expected a range start:end of row positions (0 is the first data row), e.g. 0:20, 5: or 7, found "${raw}"`,
    );
  if (parts.length > 2 || text === '' || text === ':') throw bad();
  if (parts.length === 1) {
    const start = bound(parts[0]);
    if (!Number.isSafeInteger(start)) throw bad();
    return { start, end: start + 1 };
  }
  const start = parts[0] === '' ? 0 : bound(parts[0]);
  const end = parts[1] === '' ? undefined : bound(parts[1]);
  if (!Number.isSafeInteger(start) || (end !== undefined && !Number.isSafeInteger(end))) throw bad();
  if (end !== undefined && end <= start) {
    throw new UsageError(`--rows: expected start < end, found "${raw}" (an empty range)`);
  }
  return { start, end };
}

export function formatRowRange(range: RowRange): string {
  return `${range.start}:${range.end ?? ''}`;
}

/**
 * The positions (into prepared rows) whose CSV data row falls in the range. `rowNumbers` are the
 * prepared rows' 1-based data rows; rows dropped for missing values are simply not there.
 */
export function selectRows(
  rowNumbers: Int32Array,
  range: RowRange,
  csv: string,
  totalRows: number,
): number[] {
  if (range.start >= totalRows) {
    throw new UsageError(
      `--rows ${formatRowRange(range)}: expected a start below ${totalRows} (${csv} has ${totalRows} data rows, 0 to ${totalRows - 1}), found ${range.start}`,
    );
  }
  const picked: number[] = [];
  rowNumbers.forEach((number, i) => {
    const position = number - 1;
    if (position >= range.start && (range.end === undefined || position < range.end)) picked.push(i);
  });
  if (picked.length === 0) {
    throw new UsageError(
      `--rows ${formatRowRange(range)}: every row in that range of ${csv} was dropped for missing values`,
    );
  }
  return picked;
}
