/**
 * One bad input for the catalogue (bad-input-catalogue.test.ts): a command line that must fail
 * with `exitCode` (2: bad usage, 1: bad data or a runtime failure), print no stack trace, name
 * the thing at fault on stderr, and leave no file behind.
 *
 * Placeholders in `args`:
 * - `{dir}`: a fresh temporary folder holding `files` (paths relative to it; folders are made);
 * - `{table}`: a small trained bundle of the penguins table (binary: sex), made once;
 * - `{toy}`: a small trained bundle of the dosage toy set (one feature, regression), made once.
 */
export interface BadInputCase {
  /** The kind of bad input, for the totals: 'flags', 'paths', 'training', 'bundles', ... */
  category: string;
  name: string;
  args: string[];
  files?: Record<string, string | Uint8Array>;
  exitCode: 1 | 2;
  /** Each must appear on stderr: the option, file, value or column at fault. */
  stderrIncludes: string[];
}
