import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { descent } from './run-cli';

const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'descent-stopped-'));
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));

/**
 * Starts `descent ...args`, and once `lines` progress lines are on stderr (so that training is
 * under way, past its first epochs) sends it `signal`; resolves with its status and stderr.
 */
function interrupted(
  signal: NodeJS.Signals,
  lines: number,
  args: string[],
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args]);
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const progress = stderr.split('\n').filter((l) => /^epoch \d+\/\d+ /.test(l)).length;
      if (!sent && progress >= lines) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('exit', (status) => resolve({ status, stderr }));
  });
}

describe('a run that diverges', () => {
  it('saves its last good weights at --out, marked diverged, says from when, and exits 1', () => {
    const out = join(tmp, 'diverged');
    const run = descent('train', '--dataset', 'dosage', '--lr', '1e6', '--quiet', '--out', out);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /training diverged: the loss became (Infinity|NaN) at epoch (\d+) of 2000, batch 1; saved the last good weights \(after epoch \d+\) to .*diverged \(marked "diverged" in its model.json\)/,
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
    const m = manifest(out);
    expect(m.extra.stopped.reason).toBe('diverged');
    expect(m.extra.stopped.kept.batch).toBe(0);
    // The weights saved are finite and the bundle loads and predicts.
    const predicted = descent('predict', '--model', out, '--input', '1');
    expect(predicted.status).toBe(0);
    expect(predicted.stdout).not.toMatch(/NaN|Infinity/);
  });

  it('warns when it ends at chance level with exploding weights, though it did not diverge', () => {
    const run = descent('train', '--dataset', 'penguins', '--optimizer', 'sgd', '--lr', '100', '--quiet');
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/warning: held-out accuracy \d+\.\d% is at chance level .* weights reach \d/);
    const fine = descent('train', '--dataset', 'penguins', '--quiet');
    expect(fine.stderr).not.toContain('warning');
  });
});

describe('Ctrl-C and SIGTERM during training', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: saves the last finished epoch beside --out as a loadable bundle marked interrupted, exit 130`, async () => {
      const out = join(tmp, `run-${signal}`);
      const run = await interrupted(signal, 2, [
        'train',
        '--dataset',
        'penguins',
        '--epochs',
        '3000',
        '--out',
        out,
      ]);
      expect(run.status).toBe(130);
      const checkpoint = `${out}.interrupted`;
      expect(run.stderr).toContain(`${signal}: stopping after this batch`);
      expect(run.stderr).toMatch(
        new RegExp(`training stopped after epoch (\\d+) of 3000; saved .* in ${checkpoint}`),
      );
      const finished = Number(/after epoch (\d+) of/.exec(run.stderr)?.[1]);
      expect(finished).toBeGreaterThan(0);
      expect(existsSync(out)).toBe(false);
      const m = manifest(checkpoint);
      expect(m.extra.stopped).toEqual({ reason: 'interrupted', signal, epochs: finished, of: 3000 });
      const evaluated = descent('evaluate', '--model', checkpoint, '--csv', penguinsCsv());
      expect(evaluated.status, evaluated.stderr).toBe(0);
      expect(evaluated.stdout).toContain('accuracy');
    });
  }

  it('says nothing was saved when interrupted without --out', async () => {
    const run = await interrupted('SIGINT', 2, ['train', '--dataset', 'penguins', '--epochs', '3000']);
    expect(run.status).toBe(130);
    expect(run.stderr).toMatch(/training stopped after epoch \d+ of 3000; nothing saved \(no --out\)/);
  });
});

/** A few rows of the penguins table as a CSV, for evaluating a checkpoint. */
function penguinsCsv(): string {
  const path = join(tmp, 'penguins.csv');
  writeFileSync(
    path,
    [
      'species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex',
      'Adelie,Torgersen,39.1,18.7,181,3750,MALE',
      'Adelie,Torgersen,39.5,17.4,186,3800,FEMALE',
      'Gentoo,Biscoe,46.1,13.2,211,4500,FEMALE',
      'Gentoo,Biscoe,50,16.3,230,5700,MALE',
    ].join('\n'),
  );
  return path;
}
