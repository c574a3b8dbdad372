import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { descent } from './run-cli';

const tmp = mkdtempSync(join(tmpdir(), 'descent-cli-'));

describe('descent', () => {
  it('shows help for the program and for every command', () => {
    const root = descent('--help');
    expect(root.status).toBe(0);
    for (const command of ['train', 'predict', 'gd', 'info']) {
      expect(root.stdout).toContain(command);
      const help = descent(command, '--help');
      expect(help.status).toBe(0);
      expect(help.stdout).toContain(`Usage: descent ${command}`);
    }
  });

  it('gives a plateau hint that fits the run: after Adam it suggests more units, not Adam', () => {
    const adam = (...extra: string[]) =>
      descent(
        'train',
        '--dataset',
        'dosage',
        '--optimizer',
        'adam',
        '--lr',
        '0.05',
        '--epochs',
        '3000',
        '--seed',
        '1',
        '--quiet',
        ...extra,
      );
    const run = adam();
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/hint\s+the network predicts the mean of the targets/);
    expect(run.stdout).toContain('Try --hidden 4 or another --seed.');
    expect(run.stdout).not.toContain('--optimizer adam');
    const wider = adam('--hidden', '4');
    expect(wider.status).toBe(0);
    expect(Number(/final\s+loss ([\d.e+-]+)/.exec(wider.stdout)?.[1])).toBeLessThan(0.01);
    expect(wider.stdout).not.toContain('hint');
  });

  it("trains the dosage example with the README's command, saves a bundle and predicts from it", () => {
    const out = join(tmp, 'dosage');
    const train = descent(
      'train',
      '--dataset',
      'dosage',
      '--hidden',
      '2',
      '--activation',
      'softplus',
      '--loss',
      'mse',
      '--optimizer',
      'sgd',
      '--lr',
      '0.1',
      '--epochs',
      '2000',
      '--batch-size',
      '3',
      '--seed',
      '5',
      '--out',
      out,
    );
    expect(train.stderr).not.toMatch(/descent:/);
    expect(train.status).toBe(0);
    expect(train.stdout).toMatch(/1-2-1 MLP \(softplus\), 7 parameters/);
    const finalLoss = Number(/final\s+loss ([\d.e+-]+)/.exec(train.stdout)?.[1]);
    expect(finalLoss).toBeLessThan(0.01);
    expect(readdirSync(out).sort()).toEqual(['model.json', 'model.safetensors']);

    const predict = descent('predict', '--model', out, '--input', '0,0.5,1');
    expect(predict.status).toBe(0);
    const values = predict.stdout
      .trim()
      .split('\n')
      .slice(2)
      .map((line) => Number(line.trim().split(/\s+/)[1]));
    expect(values).toHaveLength(3);
    expect(Math.abs(values[0] - 0)).toBeLessThan(0.1);
    expect(Math.abs(values[1] - 1)).toBeLessThan(0.1);
    expect(Math.abs(values[2] - 0)).toBeLessThan(0.1);
  });

  it('trains a classifier on a toy set and reports held-out accuracy', () => {
    const run = descent(
      'train',
      '--dataset',
      'moons',
      '--hidden',
      '16',
      '--activation',
      'relu',
      '--optimizer',
      'adam',
      '--lr',
      '0.02',
      '--epochs',
      '60',
      '--quiet',
    );
    expect(run.status).toBe(0);
    const accuracy = Number(/test\s+loss [\d.e+-]+, accuracy ([\d.]+)%/.exec(run.stdout)?.[1]);
    expect(accuracy).toBeGreaterThan(90);
  });

  it('runs gradient descent and writes the trajectory', () => {
    const csv = join(tmp, 'rosenbrock.csv');
    const run = descent(
      'gd',
      '--fn',
      'rosenbrock',
      '--optimizer',
      'adam',
      '--lr',
      '0.001',
      '--steps',
      '2000',
      '--start',
      '-1.5,2',
      '--out',
      csv,
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/steps\s+2000 of 2000/);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('step,x,y,value');
    expect(lines).toHaveLength(2002);
    expect(lines[1]).toMatch(/^0,-1\.5,2,/);
  });

  it('prints the runtime', () => {
    const run = descent('info');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/backend\s+wasm/);
    expect(run.stdout).toMatch(/tfjs-core\s+4\.22\.0/);
    // .ci/run builds @descent/tensor's native kernels (DESCENT_REQUIRE_NATIVE=1); elsewhere either line is right.
    expect(run.stdout).toMatch(
      process.env.DESCENT_REQUIRE_NATIVE === '1'
        ? /kernels\s+native: (oneDNN|OpenBLAS) \d/
        : /kernels\s+(native: (oneDNN|OpenBLAS) \d|WebAssembly)/,
    );
  });

  it.each([
    [
      ['train', '--dataset', 'imagenet'],
      /--dataset: expected one of dosage, moons, circles, spiral, xor, blobs, penguins, cps-wages, mnist, mnist-10k, mnist-binary, fashion-mnist, found "imagenet"/,
    ],
    [['train', '--lr', 'fast'], /--lr: expected a positive number, found "fast"/],
    [['train', '--epochs', '0'], /--epochs: expected a positive integer, found "0"/],
    [['train', '--hidden', '4,x'], /--hidden: expected a positive integer, found "x"/],
    [
      ['train', '--dataset', 'spiral', '--loss', 'bce'],
      /--loss bce: needs a binary target, but spiral has 3 classes/,
    ],
    [['train', '--bogus'], /unknown option '--bogus'/],
    [['gd', '--start', '1'], /--start: expected 2 numbers, found 1/],
    [
      ['gd', '--fn', 'banana'],
      /--fn: expected one of quadratic, rosenbrock, saddle, himmelblau, found "banana"/,
    ],
    [['predict', '--model', join(tmp, 'missing'), '--input', '1'], /not a descent bundle \(no model.json\)/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('refuses %j with a clear message and a non-zero exit', (args, message) => {
    const run = descent(...args);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(message);
  });

  it('leaves no file behind when gd fails', () => {
    const csv = join(tmp, 'diverged.csv');
    const run = descent(
      'gd',
      '--fn',
      'quadratic',
      '--optimizer',
      'sgd',
      '--lr',
      '1e6',
      '--steps',
      '5000',
      '--start',
      '1,1',
      '--out',
      csv,
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/gd: diverged at step \d+/);
    expect(existsSync(csv)).toBe(false);
  });
});
