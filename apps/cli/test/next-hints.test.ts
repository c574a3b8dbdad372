import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { descent } from './run-cli';

const tmp = mkdtempSync(join(tmpdir(), 'descent-next-'));

/** The words of the `next:` line, as a shell would split them (the paths here need no quotes). */
function hinted(text: string): string[] {
  const lines = text.split('\n').filter((line) => line.startsWith('next: '));
  expect(lines).toHaveLength(1);
  const command = lines[0].slice('next: '.length).replace(/ \(.*\)$/, '');
  expect(command).not.toMatch(/['"\\]/);
  const words = command.split(' ');
  expect(words[0]).toBe('descent');
  return words.slice(1);
}

// After `descent train --out`, the summary names a command that works on the bundle just saved:
// each test runs it literally.
describe('the next-step line after training', () => {
  it('toy set: predicts the first training row with the saved model', () => {
    const out = join(tmp, 'dosage');
    const run = descent('train', '--dataset', 'dosage', '--epochs', '20', '--quiet', '--out', out);
    expect(run.status).toBe(0);
    const next = hinted(run.stdout);
    expect(next.slice(0, 3)).toEqual(['predict', '--model', out]);
    const predicted = descent(...next);
    expect(predicted.stderr).toBe('');
    expect(predicted.status).toBe(0);
  });

  it('toy set with --json: the line goes to stderr, and a negative first value still parses', () => {
    const out = join(tmp, 'moons');
    const run = descent(
      ...['train', '--dataset', 'moons', '--epochs', '5', '--seed', '2', '--json', '--out', out],
    );
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/next:/);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    const next = hinted(run.stderr);
    expect(next[3]).toMatch(/^--input=-[\d.]+,-?[\d.]+$/);
    const predicted = descent(...next, '--json');
    expect(predicted.status).toBe(0);
    expect(JSON.parse(predicted.stdout)).toBeTruthy();
  });

  it('images: evaluates the saved model on the test images it was trained beside', () => {
    const out = join(tmp, 'digits');
    const run = descent(
      ...['train', '--dataset', 'mnist-10k', '--model', 'mlp', '--epochs', '1', '--limit', '256'],
      ...['--seed', '1', '--quiet', '--json', '--out', out],
    );
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/next:/);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    const next = hinted(run.stderr);
    expect(next).toEqual(['evaluate', '--model', out]);
    const evaluated = descent(...next);
    expect(evaluated.stderr).toBe('');
    expect(evaluated.status).toBe(0);
    expect(evaluated.stdout).toMatch(/accuracy/);
  });
});
