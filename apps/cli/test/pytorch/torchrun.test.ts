import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { descent } from '../run-cli';
import { completePenguins, expectSameTable, python, requireTorch } from './python';

const tmp = mkdtempSync(join(tmpdir(), 'descent-torchrun-'));

describe('past one machine: descent → torchrun (DDP over gloo, 2 processes) → descent', () => {
  let csv = '';
  const model = join(tmp, 'penguins');
  const exported = join(tmp, 'penguins-torch');
  const continued = join(tmp, 'continued');
  beforeAll(() => {
    requireTorch();
    csv = completePenguins(tmp);
    expect(descent('train', '--dataset', 'penguins', '--epochs', '5', '--out', model, '--quiet').status).toBe(
      0,
    );
    expect(descent('export', '--model', model, '--to', 'pytorch', '--out', exported).status).toBe(0);
  });

  it('continues training under torchrun and comes back as a bundle that evaluate and explain read', () => {
    const run = python(
      // torchrun is `python3 -m torch.distributed.run`. Debian's torch 1.13 under Python 3.11 cannot
      // parse its own default `--redirects 0`/`--tee 0` (Std.NONE is no longer iterated in an
      // IntFlag), so the standard streams are named explicitly: stdout is teed with a rank prefix.
      [
        '-m',
        'torch.distributed.run',
        '--standalone',
        '--nproc_per_node',
        '2',
        '--redirects',
        '1',
        '--tee',
        '1',
        join(exported, 'train.py'),
        '--csv',
        csv,
        '--epochs',
        '20',
        '--lr',
        '0.003',
        '--out',
        continued,
      ],
      { timeout: 300_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const losses = [
      ...run.stdout.matchAll(/\[default0\]:epoch (\d+)\/20 {2}loss ([\d.]+) {2}\(2 processes\)/g),
    ].map((m) => Number(m[2]));
    expect(losses).toHaveLength(20);
    // Training went on: the loss fell from where the short descent run left it.
    expect(losses[19]).toBeLessThan(losses[0]);

    const manifest = JSON.parse(readFileSync(join(continued, 'model.json'), 'utf8'));
    expect(manifest.extra.continued).toMatchObject({ processes: 2, epochs: 20 });
    expect(manifest.preprocessing).toEqual(
      JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')).preprocessing,
    );

    const evaluated = descent('evaluate', '--model', continued, '--csv', csv);
    expect(evaluated.stderr).toBe('');
    expect(evaluated.status).toBe(0);
    const accuracy = Number(/accuracy\s+([\d.]+)/.exec(evaluated.stdout)?.[1]);
    expect(accuracy).toBeGreaterThan(0.8);

    const report = join(tmp, 'continued.html');
    const explained = descent(
      'explain',
      '--model',
      continued,
      '--csv',
      csv,
      '--rows',
      '0:3',
      '--out',
      report,
    );
    expect(explained.status, explained.stderr).toBe(0);
    expect(readFileSync(report, 'utf8')).toContain('<svg');

    // And descent predicts what torch predicts with the weights DDP trained.
    const back = join(tmp, 'continued-torch');
    expect(descent('export', '--model', continued, '--to', 'pytorch', '--out', back).status).toBe(0);
    const theirs = python([join(back, 'model.py'), '--csv', csv]);
    expect(theirs.status, theirs.stderr).toBe(0);
    expectSameTable(theirs.stdout, descent('predict', '--model', continued, '--csv', csv).stdout, 2e-6);
  }, 300_000);
});
