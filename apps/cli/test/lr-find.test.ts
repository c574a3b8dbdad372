import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { descent } from './run-cli';

const tmp = mkdtempSync(join(tmpdir(), 'descent-lr-find-'));

describe('descent lr-find', () => {
  it('prints the suggested rate and writes the curve as CSV and JSON and as a plot', () => {
    const csv = join(tmp, 'curve.csv');
    const report = join(tmp, 'lr-find.html');
    const run = descent('lr-find', '--dataset', 'moons', '--out', csv, '--report', report);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const suggested = Number(/^suggested lr ([\d.e-]+)/m.exec(run.stdout)?.[1]);
    const [header, ...rows] = readFileSync(csv, 'utf8').trim().split('\n');
    expect(header).toBe('lr,loss');
    const lrs = rows.map((r) => Number(r.split(',')[0]));
    expect(lrs[0]).toBe(1e-7);
    expect(lrs.some((lr) => Number(lr.toPrecision(3)) === suggested)).toBe(true);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('<polyline');
    expect(html).toContain('Suggested learning rate');

    const json = join(tmp, 'curve.json');
    expect(descent('lr-find', '--dataset', 'moons', '--out', json).status).toBe(0);
    const result = JSON.parse(readFileSync(json, 'utf8'));
    expect(result.lrs).toEqual(lrs);
    expect(Number(result.suggested.toPrecision(3))).toBe(suggested);
  });

  it('refuses an end rate below the start', () => {
    const run = descent('lr-find', '--start-lr', '1', '--end-lr', '0.1');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--end-lr: expected a rate above --start-lr (1), found "0.1"');
  });
});

describe('descent train --checkpoint --log-csv', () => {
  it('keeps the best and last epochs as bundles that predict, and logs each epoch', () => {
    const dir = join(tmp, 'checkpoints');
    const log = join(tmp, 'history.csv');
    const train = descent(
      'train',
      '--dataset',
      'penguins',
      '--epochs',
      '4',
      '--checkpoint',
      dir,
      '--log-csv',
      log,
      '--quiet',
    );
    expect(train.stderr).toBe('');
    expect(train.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['best', 'last']);
    const [header, ...rows] = readFileSync(log, 'utf8').trim().split('\n');
    expect(header).toBe('epoch,loss,accuracy,lr');
    expect(rows.map((r) => Number(r.split(',')[0]))).toEqual([1, 2, 3, 4]);
    const manifest = JSON.parse(readFileSync(join(dir, 'last', 'model.json'), 'utf8'));
    expect(manifest.extra.checkpoint).toMatchObject({ epoch: 4, kind: 'last' });
    const input = join(tmp, 'rows.csv');
    writeFileSync(
      input,
      'species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,year\nAdelie,Torgersen,39.1,18.7,181,3750,2007\n',
    );
    const predict = descent('predict', '--model', join(dir, 'best'), '--csv', input);
    expect(predict.stderr).toBe('');
    expect(predict.status).toBe(0);
  });
});
