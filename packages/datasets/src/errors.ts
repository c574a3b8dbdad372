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

/**
 * Bad data in a table: names the source (a file path, '<string>' or a built-in set's file name),
 * the 1-based data row (the header is row 0, the first record after it row 1) and the column.
 */
export class TableError extends Error {
  override name = 'TableError';
  constructor(
    message: string,
    readonly source: string,
    readonly row?: number,
    readonly column?: string | number,
  ) {
    super(message);
  }
}

/** `data.csv: row 7, column "age": expected a number, found "abc"`; row and column are optional. */
export function tableError(
  source: string,
  row: number | 'header' | undefined,
  column: string | number | undefined,
  message: string,
): TableError {
  const where: string[] = [];
  if (row === 'header') where.push('header');
  else if (row !== undefined) where.push(`row ${row}`);
  if (typeof column === 'string') where.push(`column ${JSON.stringify(column)}`);
  else if (column !== undefined) where.push(`column ${column}`);
  const prefix = where.length > 0 ? `${source}: ${where.join(', ')}: ` : `${source}: `;
  return new TableError(prefix + message, source, typeof row === 'number' ? row : undefined, column);
}

/**
 * An image file or folder that cannot be read as asked: missing, not an image, damaged, an
 * unsupported depth, a size that differs from the others, a folder without class sub-folders.
 * `path` is the file or folder concerned, as the caller named it.
 */
export class ImageFileError extends Error {
  override name = 'ImageFileError';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** `cats/7.png: a damaged PNG file (...)`: the path first, then what is wrong with it. */
export function imageFileError(path: string, message: string): ImageFileError {
  return new ImageFileError(`${path}: ${message}`, path);
}
