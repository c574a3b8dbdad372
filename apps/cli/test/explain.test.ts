import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleCnn } from '@descent/cnn';
import { penguins } from '@descent/datasets';
import { initBackend, tf } from '@descent/tensor';
import { saveBundle } from '@descent/train/node';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runExplain } from '../src/commands/explain';
import { main } from '../src/main';
import { descent } from './run-cli';

const tmp = mkdtempSync(join(tmpdir(), 'descent-explain-'));
const path = (name: string) => join(tmp, name);
const sink = { write: () => true } as unknown as NodeJS.WritableStream;

/** The penguins table as a CSV file, as a user would have it. */
function penguinsCsv(name = 'penguins.csv', drop?: string): string {
  const table = penguins();
  const columns = table.columns.filter((c) => c.name !== drop);
  const lines = Array.from({ length: table.rows }, (_, r) =>
    columns
      .map((c) =>
        c.kind === 'numeric' ? String(c.values[r]) : c.codes[r] < 0 ? '' : c.categories[c.codes[r]],
      )
      .join(','),
  );
  writeFileSync(path(name), `${[columns.map((c) => c.name).join(','), ...lines].join('\n')}\n`);
  return path(name);
}

/**
 * The CLI in this process, as `descent` runs it: for refusals, which need no subprocess each (the
 * binary itself is exercised by the other tests).
 */
async function descentHere(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const status = await main(['node', 'descent', ...args]);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

interface ValuesFile {
  header: string[];
  rows: Record<string, string>[];
}

function readValues(file: string): ValuesFile {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const header = head.split(',');
  return {
    header,
    rows: lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v]))),
  };
}

/** base_value + Σ values − prediction, per row: SHAP's efficiency, checked in the written file. */
function efficiencyGaps(values: ValuesFile, features: string[]): number[] {
  return values.rows.map((r) => {
    const sum = features.reduce((s, f) => s + Number(r[f]), Number(r.base_value));
    return Math.abs(sum - Number(r.prediction));
  });
}

/** The report must open offline: no scripts, no links, nothing fetched (the SVG namespace is a name, not a fetch). */
function expectSelfContained(html: string) {
  expect(html).not.toMatch(/<script|<link|src=|href=|@import|url\(http/i);
  expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:/);
}

/** A 28×28 "1": light strokes on black, as MNIST (or dark on white with `paper`). */
function digitPng(name: string, paper = false): string {
  const png = new PNG({ width: 28, height: 28 });
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const stroke = (Math.abs(x - 14) <= 1 && y >= 5 && y <= 22) || (y === 6 && x >= 10 && x <= 14);
      const v = stroke !== paper ? 255 : 0;
      png.data.set([v, v, v, 255], 4 * (y * 28 + x));
    }
  }
  writeFileSync(path(name), PNG.sync.write(png));
  return path(name);
}

const features = ['species', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];
let csv = '';
const binary = path('sex-model');
const multiclass = path('species-model');
const cnn = path('cnn-model');

beforeAll(async () => {
  csv = penguinsCsv();
  const a = descent('train', '--dataset', 'penguins', '--epochs', '5', '--out', binary, '--quiet');
  expect(a.status, a.stderr).toBe(0);
  const b = descent(
    'train',
    ...['--csv', csv, '--target', 'species', '--task', 'multiclass', '--epochs', '3', '--out', multiclass],
    '--quiet',
  );
  expect(b.status, b.stderr).toBe(0);
  // An untrained tiny CNN is enough: explanations must add up for any model.
  await initBackend();
  const model = simpleCnn({ inputShape: [1, 28, 28], classes: 10, channels: [2], seed: 7 });
  await saveBundle(cnn, model, {
    loss: 'crossEntropy',
    outputKind: 'classScores',
    inputShape: [1, 28, 28],
    targetName: 'digit',
    labelNames: Array.from({ length: 10 }, (_, k) => String(k)),
  });
  model.dispose();
});

describe('descent explain on a table model', () => {
  const byMethod = new Map<string, ValuesFile>();

  it.each(['exact', 'kernel', 'permutation'])(
    'writes the report and values with --method %s; values add up to the prediction',
    (method) => {
      const out = path(`report-${method}.html`);
      const values = path(`values-${method}.csv`);
      const run = descent(
        'explain',
        ...['--model', binary, '--csv', csv, '--rows', '140:152', '--method', method],
        ...['--background', '50', '--seed', '3', '--out', out, '--values', values],
      );
      expect(run.stderr).not.toMatch(/descent:/);
      expect(run.status).toBe(0);
      expect(run.stderr).toMatch(/12\/12 rows/);
      const html = readFileSync(out, 'utf8');
      expectSelfContained(html);
      expect(html).toContain('SHAP bar plot');
      expect(html).toContain('SHAP beeswarm plot');
      // One waterfall per row, capped at 10, with a note saying so.
      expect(html.match(/<title>SHAP waterfall plot<\/title>/g)).toHaveLength(10);
      expect(html).toMatch(/first 10 of the 12 explained rows/);
      for (const f of features) expect(html).toContain(f);
      expect(html).toContain('species = Adelie');
      expect(html).toMatch(/E\[f\(X\)\]/);
      expect(html).toMatch(/ROC AUC/);

      const table = readValues(values);
      expect(table.header).toEqual(['row', 'base_value', ...features, 'prediction', 'predicted_class']);
      expect(table.rows.map((r) => Number(r.row))).toEqual(Array.from({ length: 12 }, (_, i) => 140 + i));
      for (const gap of efficiencyGaps(table, features)) expect(gap).toBeLessThan(1e-6);
      byMethod.set(method, table);
    },
  );

  it('reports the model’s own predictions, and KernelSHAP covering every coalition equals exact', () => {
    const exact = byMethod.get('exact');
    const kernel = byMethod.get('kernel');
    expect(exact && kernel).toBeTruthy();
    const preds = path('preds.csv');
    expect(descent('predict', '--model', binary, '--csv', csv, '--out', preds).status).toBe(0);
    const predicted = readFileSync(preds, 'utf8').trim().split('\n').slice(1);
    exact?.rows.forEach((r) => {
      // predict's row numbers are 1-based data rows; explain's count from 0, as --rows does.
      const [, , pMale, label] = predicted[Number(r.row)].split(',');
      expect(Math.abs(Number(r.prediction) - Number(pMale))).toBeLessThan(1e-6);
      expect(r.predicted_class).toBe(label);
    });
    // M = 5 columns: the kernel's budget (2M + 2048) covers all 2^5 − 2 coalitions.
    kernel?.rows.forEach((r, i) => {
      for (const f of features) expect(Math.abs(Number(r[f]) - Number(exact?.rows[i][f]))).toBeLessThan(1e-6);
    });
  });

  it('explains one class of a multiclass model in log-odds, over a k-means background', () => {
    const out = path('species.html');
    const values = path('species.csv');
    const run = descent(
      'explain',
      ...['--model', multiclass, '--csv', csv, '--rows', '250:256', '--class', 'Gentoo', '--link', 'logit'],
      ...['--background-method', 'kmeans', '--background', '8', '--out', out, '--values', values, '--quiet'],
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/6 rows, 6 columns, P\(species = Gentoo\)/);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('log-odds');
    expect(html).toContain('8 k-means centres');
    expect(html.match(/<title>SHAP waterfall plot<\/title>/g)).toHaveLength(6);
    const table = readValues(values);
    const columns = ['island', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'sex'];
    expect(table.header.slice(2, 8)).toEqual(columns);
    for (const gap of efficiencyGaps(table, columns)) expect(gap).toBeLessThan(1e-6);
  });

  it('refuses --method exact beyond 16 columns, while kernel explains them', async () => {
    const cols = Array.from({ length: 17 }, (_, j) => `x${j}`);
    const lines = Array.from({ length: 40 }, (_, i) =>
      [...cols.map((_, j) => ((i * (j + 3)) % 11) / 10), i % 2 ? 'yes' : 'no'].join(','),
    );
    writeFileSync(path('wide.csv'), `${[...cols, 'y'].join(',')}\n${lines.join('\n')}\n`);
    const model = path('wide-model');
    const train = descent(
      'train',
      '--csv',
      path('wide.csv'),
      '--target',
      'y',
      '--epochs',
      '1',
      '--out',
      model,
    );
    expect(train.status, train.stderr).toBe(0);
    const out = path('wide.html');
    const exact = await descentHere(
      'explain',
      '--model',
      model,
      '--csv',
      path('wide.csv'),
      '--method',
      'exact',
      '--out',
      out,
    );
    expect(exact.status).toBe(2);
    expect(exact.stderr).toMatch(/--method exact: expected at most 16 input columns .*found M = 17/);
    expect(existsSync(out)).toBe(false);
    const kernel = await descentHere(
      'explain',
      ...['--model', model, '--csv', path('wide.csv'), '--rows', '0:2', '--background', '5', '--out', out],
      '--quiet',
    );
    expect(kernel.status, kernel.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('x16');
  });

  const bad: [string, () => string[], RegExp][] = [
    ['no --model', () => ['--csv', csv], /required option '--model <dir>' not specified/],
    [
      'a CSV without the model’s columns',
      () => ['--model', binary, '--csv', penguinsCsv('no-bill.csv', 'bill_length_mm')],
      /no-bill\.csv: expected the model's columns "bill_length_mm", found only/,
    ],
    [
      'an unknown method',
      () => ['--model', binary, '--csv', csv, '--method', 'magic'],
      /--method: expected one of exact, kernel, permutation, found "magic"/,
    ],
    [
      'a reversed --rows range',
      () => ['--model', binary, '--csv', csv, '--rows', '9:3'],
      /--rows: expected start < end, found "9:3"/,
    ],
    [
      'a --rows that is no range',
      () => ['--model', binary, '--csv', csv, '--rows', 'first-ten'],
      /--rows: expected a range start:end/,
    ],
    [
      'a --rows past the end',
      () => ['--model', binary, '--csv', csv, '--rows', '400:410'],
      /--rows 400:410: expected a start below 333/,
    ],
    [
      'both --csv and --image',
      () => ['--model', binary, '--csv', csv, '--image', digitPng('a.png')],
      /--csv or --image: expected exactly one/,
    ],
    [
      'an image for a table model',
      () => ['--model', binary, '--image', digitPng('b.png')],
      /--image: expected a model of square grey images/,
    ],
    [
      '--nsamples below 2',
      () => ['--model', binary, '--csv', csv, '--nsamples', '1'],
      /--nsamples: expected an integer >= 2, found "1"/,
    ],
    [
      '--nsamples with exact',
      () => ['--model', binary, '--csv', csv, '--method', 'exact', '--nsamples', '50'],
      /--nsamples: not used by --method exact/,
    ],
    [
      'a model folder that is no bundle',
      () => ['--model', tmp, '--csv', csv],
      /not a descent bundle \(no model\.json\)/,
    ],
    [
      'an --out in a missing folder',
      () => ['--model', binary, '--csv', csv, '--out', path('nowhere/r.html')],
      /--out .*: expected a file in an existing folder/,
    ],
  ];
  // The first two through the binary, the rest in this process (same main(), no start-up cost each).
  it.each(bad.map((b, i) => [...b, i < 2] as const))(
    'refuses %s with a clear message, a non-zero exit and no files',
    async (_name, args, message, spawned) => {
      const id = Math.random().toString(36).slice(2);
      const out = path(`bad-${id}.html`);
      const values = path(`bad-${id}.csv`);
      const given = args();
      const argv = [
        'explain',
        ...given,
        ...(given.includes('--out') ? [] : ['--out', out]),
        '--values',
        values,
      ];
      const run = spawned ? descent(...argv) : await descentHere(...argv);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(values)).toBe(false);
    },
  );
});

describe('descent explain on an image model', () => {
  it('writes the digit, the SHAP overlay and the class probabilities; patch values add up', () => {
    const out = path('digit.html');
    const values = path('digit.csv');
    const run = descent(
      'explain',
      ...['--model', cnn, '--image', digitPng('one-paper.png', true), '--nsamples', '400'],
      ...['--out', out, '--values', values],
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/inverted to light ink on black/);
    expect(run.stdout).toMatch(/predicted \d/);
    const html = readFileSync(out, 'utf8');
    expectSelfContained(html);
    expect(html).toContain('<title>the input image</title>');
    expect(html).toContain('<title>SHAP image explanation</title>');
    expect(html).toContain('<title>class probabilities</title>');
    expect(html).toContain('7×7 grid of 4×4-pixel patches');
    const table = readValues(values);
    const patches = table.header.filter((h) => h.startsWith('patch_'));
    expect(patches).toHaveLength(49);
    for (const gap of efficiencyGaps(table, patches)) expect(gap).toBeLessThan(1e-6);
  });

  it('refuses --method exact on 49 patches, naming a patch size that fits', async () => {
    const out = path('digit-exact.html');
    const run = await descentHere(
      'explain',
      '--model',
      cnn,
      '--image',
      digitPng('c.png'),
      '--method',
      'exact',
      '--out',
      out,
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--method exact: expected at most 16 patches .*found M = 49 .*--patch-size 7/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('explaining in-process', () => {
  it('leaves no tensors behind (table and image)', async () => {
    await initBackend();
    const before = tf.memory().numTensors;
    const table = await runExplain(
      { model: binary, csv, rows: { start: 0, end: 3 }, background: 10, out: path('leak.html'), quiet: true },
      sink,
    );
    expect(table.explanation.rows).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
    const image = await runExplain(
      { model: cnn, image: digitPng('leak.png'), nsamples: 100, out: path('leak-image.html'), quiet: true },
      sink,
    );
    expect(image.explanation.features).toBe(49);
    expect(tf.memory().numTensors).toBe(before);
  });
});
