import { stringify } from 'csv-stringify/sync';

/** A cell of a CSV the CLI writes: text, or a number written in full precision. */
export type CsvCell = string | number;

// A plain decimal number, as the CSV reader takes it: such a text is data, not a formula.
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A text cell made safe to open in a spreadsheet, as OWASP's "CSV injection" advice says: a cell
 * that begins with =, +, -, @, a tab or a carriage return would be run as a formula (e.g.
 * =HYPERLINK(...)), so it gets a leading single quote and is shown as text. A plain number such
 * as -1.5 is left alone: it is read as the number it is.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/**
 * Rows as CSV text, by csv-stringify: fields holding a comma, a quote or a line break are quoted,
 * text cells are neutralised against formula injection, and a non-finite number is left empty.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return stringify([header as CsvCell[], ...(rows as CsvCell[][])], {
    record_delimiter: 'unix',
    cast: {
      string: (value) => neutraliseFormula(value),
      number: (value) => (Number.isFinite(value) ? String(value) : ''),
    },
  });
}
