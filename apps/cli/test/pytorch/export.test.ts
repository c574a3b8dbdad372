import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { descent } from '../run-cli';
import { completePenguins, expectSameTable, python, requireTorch } from './python';

const tmp = mkdtempSync(join(tmpdir(), 'descent-torch-export-'));

describe('descent export --to pytorch', () => {
  const model = join(tmp, 'penguins');
  let csv = '';
  beforeAll(() => {
    requireTorch();
    csv = completePenguins(tmp);
    const train = descent(
      'train',
      '--dataset',
      'penguins',
      '--epochs',
      '30',
      '--seed',
      '3',
      '--out',
      model,
      '--quiet',
    );
    expect(train.stderr).toBe('');
    expect(train.status).toBe(0);
  });

  it('writes a model.py that prints what descent predict prints, within float32 rounding', () => {
    const out = join(tmp, 'penguins-torch');
    const exported = descent('export', '--model', model, '--to', 'pytorch', '--out', out);
    expect(exported.stderr).toBe('');
    expect(exported.status).toBe(0);
    const ours = descent('predict', '--model', model, '--csv', csv);
    expect(ours.status).toBe(0);
    const theirs = python([join(out, 'model.py'), '--csv', csv]);
    expect(theirs.stderr).toBe('');
    expect(theirs.status).toBe(0);
    expect(theirs.stdout.trim().split('\n')).toHaveLength(334);
    // Probabilities are printed to 6 decimals; float32 sums in another order may move the last one.
    expectSameTable(theirs.stdout, ours.stdout, 2e-6);
  });

  it('refuses an existing folder, another framework and a folder that is not a bundle', () => {
    const occupied = join(tmp, 'occupied');
    expect(descent('export', '--model', model, '--to', 'pytorch', '--out', occupied).status).toBe(0);
    const again = descent('export', '--model', model, '--to', 'pytorch', '--out', occupied);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('--out: expected a new or empty folder, found 5 entries');
    const onnx = descent('export', '--model', model, '--to', 'onnx', '--out', join(tmp, 'x'));
    expect(onnx.status).toBe(2);
    expect(onnx.stderr).toContain('--to: expected "pytorch", found "onnx"');
    const notBundle = descent('export', '--model', tmp, '--to', 'pytorch', '--out', join(tmp, 'y'));
    expect(notBundle.status).toBe(1);
    expect(notBundle.stderr).toContain('not a descent bundle');
  });
});
