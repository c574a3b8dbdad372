import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { penguins } from '@descent/datasets';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { descent } from './run-cli';

const tmp = mkdtempSync(join(tmpdir(), 'descent-tabular-'));
const file = (name: string, text: string) => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};

/** The penguins table as a CSV file, as a user would have it. */
function penguinsCsv(): string {
  const table = penguins();
  const names = table.columns.map((c) => c.name);
  const lines = Array.from({ length: table.rows }, (_, r) =>
    table.columns
      .map((c) =>
        c.kind === 'numeric' ? String(c.values[r]) : c.codes[r] < 0 ? '' : c.categories[c.codes[r]],
      )
      .join(','),
  );
  return file('penguins.csv', `${[names.join(','), ...lines].join('\n')}\n`);
}

describe('descent on tables', () => {
  it('trains on a CSV, predicts raw rows to a CSV and evaluates', () => {
    const csv = penguinsCsv();
    const out = join(tmp, 'penguins-model');
    const train = descent(
      'train',
      '--csv',
      csv,
      '--target',
      'sex',
      '--task',
      'binary',
      '--scale',
      'standard',
      '--hidden',
      '32,16',
      '--activation',
      'relu',
      '--epochs',
      '50',
      '--seed',
      '1',
      '--out',
      out,
      '--quiet',
    );
    expect(train.stderr).toBe('');
    expect(train.status).toBe(0);
    // Held-out accuracy on 67 rows (one row = 0.015): the built-in set's seeds 1-8 give 0.85-0.96
    // across the scalers, so the bar is "clearly learned" (chance is about 0.5), not one split's score.
    expect(Number(/^accuracy ([\d.]+)/m.exec(train.stdout)?.[1])).toBeGreaterThanOrEqual(0.84);
    expect(train.stdout).toMatch(/true FEMALE/);

    const preds = join(tmp, 'preds.csv');
    const predict = descent('predict', '--model', out, '--csv', csv, '--out', preds);
    expect(predict.status).toBe(0);
    const lines = readFileSync(preds, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('row,probability_FEMALE,probability_MALE,predicted');
    expect(lines).toHaveLength(334);
    const [, p0, p1, label] = lines[1].split(',');
    expect(Number(p0) + Number(p1)).toBeCloseTo(1, 5);
    expect(['FEMALE', 'MALE']).toContain(label);

    const evaluate = descent('evaluate', '--model', out, '--csv', csv);
    expect(evaluate.status).toBe(0);
    expect(evaluate.stdout).toMatch(/accuracy 0\.9\d+ {2}precision/);
    expect(evaluate.stdout).toMatch(/confusion matrix/);
  });

  it('trains the built-in penguins with every scaler', () => {
    for (const scale of ['standard', 'minmax', 'robust']) {
      const run = descent('train', '--dataset', 'penguins', '--scale', scale, '--seed', '1', '--quiet');
      expect(run.status).toBe(0);
      expect(Number(/^accuracy ([\d.]+)/m.exec(run.stdout)?.[1])).toBeGreaterThanOrEqual(0.84);
    }
  });

  const bad: [string, () => string[], RegExp][] = [
    [
      'a missing target column',
      () => ['--csv', penguinsCsv(), '--target', 'colour'],
      /--target: expected one of the columns of .*penguins\.csv \("species", .*"sex"\), found "colour"/,
    ],
    [
      'a text value in a numeric column',
      () => ['--csv', file('text.csv', 'age,y\n30,a\n41,b\nabc,a\n'), '--target', 'y'],
      /text\.csv: row 3, column "age": expected a number, found "abc"/,
    ],
    ['an empty file', () => ['--csv', file('empty.csv', ''), '--target', 'y'], /empty\.csv.*empty file/],
    [
      'a single class',
      // Ten rows: fewer are refused before the classes are counted.
      () => [
        '--csv',
        file('one.csv', `x,y\n${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => `${i},a`).join('\n')}\n`),
        '--target',
        'y',
      ],
      /expected at least 2 classes, found 1/,
    ],
    [
      'an unknown --scale',
      () => ['--dataset', 'penguins', '--scale', 'log'],
      /--scale: expected one of standard, minmax, robust, none, found "log"/,
    ],
    [
      'more columns in a row than in the header',
      () => ['--csv', file('wide.csv', 'x,y\n1,a\n2,b,7\n'), '--target', 'y'],
      /wide\.csv: row 2, column 3: expected 2 fields \(one per header column\), found 3/,
    ],
    [
      'a number past float64 (1e400), named by file, data row and column whatever the seed',
      () => ['--csv', file('huge.csv', 'x,y\n1,a\n2,b\n1e400,a\n4,b\n'), '--target', 'y'],
      /huge\.csv: row 3, column "x": expected a finite number \(at most ±1\.8e308\), found "1e400"/,
    ],
    [
      'a header-only CSV',
      () => ['--csv', file('header.csv', 'x,y\n'), '--target', 'y'],
      /header\.csv: expected at least 1 data row after the header, found only the header/,
    ],
    [
      'a file that does not exist',
      () => ['--csv', join(tmp, 'nowhere.csv'), '--target', 'y'],
      /nowhere\.csv.*(does not exist|no such file|not found)/i,
    ],
  ];
  it.each(bad)('refuses %s with a clear message, a non-zero exit and no output', (_name, args, message) => {
    const out = join(tmp, `out-${Math.random().toString(36).slice(2)}`);
    const run = descent('train', ...args(), '--out', out, '--quiet', '--epochs', '2');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});

describe('CSV output', () => {
  it('quotes labels with commas and neutralises formulas in predict --out and explain --values', () => {
    const formula = '=HYPERLINK("http://example.com","click")';
    // 100 rows: 20 held out, the fewest that train does not warn about.
    const rows = Array.from({ length: 100 }, (_, i) => {
      const label = i % 2 ? '"Female, adult"' : `"${formula.replace(/"/g, '""')}"`;
      return `${(i % 2) + (i % 7) / 10},${i % 5},${label}`;
    });
    const csv = file('labels.csv', `a,b,who\n${rows.join('\n')}\n`);
    const model = join(tmp, 'labels-model');
    const train = descent(
      'train',
      '--csv',
      csv,
      '--target',
      'who',
      '--epochs',
      '3',
      '--out',
      model,
      '--quiet',
    );
    expect(train.stderr).toBe('');
    expect(train.status).toBe(0);

    const preds = join(tmp, 'labels-preds.csv');
    const predict = descent('predict', '--model', model, '--csv', csv, '--out', preds);
    expect(predict.stderr).toBe('');
    const text = readFileSync(preds, 'utf8');
    const parsed = parse(text) as string[][];
    // Every row as wide as the header, the comma kept inside its field.
    expect(new Set(parsed.map((r) => r.length))).toEqual(new Set([4]));
    expect([...parsed[0]].sort()).toEqual(
      ['row', 'probability_Female, adult', `probability_${formula}`, 'predicted'].sort(),
    );
    const labels = new Set(parsed.slice(1).map((r) => r[3]));
    for (const label of labels) expect(['Female, adult', `'${formula}`]).toContain(label);
    expect(text).not.toMatch(/^=|,=/m);

    const values = join(tmp, 'labels-shap.csv');
    const explain = descent(
      'explain',
      '--model',
      model,
      '--csv',
      csv,
      '--rows',
      '0:4',
      '--out',
      join(tmp, 'labels.html'),
      '--values',
      values,
      '--quiet',
      '--nsamples',
      '64',
    );
    expect(explain.stderr).toBe('');
    const shap = parse(readFileSync(values, 'utf8')) as string[][];
    expect(new Set(shap.map((r) => r.length)).size).toBe(1);
    for (const r of shap.slice(1)) expect(['Female, adult', `'${formula}`]).toContain(r.at(-1));

    // The data errors of predict and explain name the input file.
    const header = file('labels-header.csv', 'a,b,who\n');
    const none = descent('predict', '--model', model, '--csv', header);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(
      /labels-header\.csv: expected at least 1 data row after the header, found only the header/,
    );
    const huge = file('labels-huge.csv', 'a,b,who\n1,2,x\n3,-1e999,x\n');
    const overflow = descent('predict', '--model', model, '--csv', huge);
    expect(overflow.status).toBe(1);
    expect(overflow.stderr).toMatch(/labels-huge\.csv: row 2, column "b": expected a finite number/);
  });
});
