import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mnistDigits } from '@descent/datasets/node';
import { Adam } from '@descent/optim';
import { initBackend, leakGuard, tf } from '@descent/tensor';
import { deserializeBundle, Learner, serializeBundle } from '@descent/train';
import { loadBundle } from '@descent/train/node';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
// The PNG writers of @descent/datasets' image tests (test code, not part of the package's API).
import { bombPng, greyPng, rawPng, rgbJpeg } from '../../../packages/datasets/src/images/image-files-testing';
import { randomShift, shiftEachEpoch, shiftImage } from '../src/augment';
import { decodeGreyImage, ImageInputError, resizeArea, toDigit } from '../src/image-input';
import { buildImageModel } from '../src/image-model';
import { descent } from './run-cli';

const tmp = mkdtempSync(join(tmpdir(), 'descent-images-'));

/** A 1-bit black-and-white PNG (pngjs writes only 8 and 16 bits). */
const oneBitPng = (width: number, height: number) =>
  rawPng(
    width,
    height,
    1,
    0,
    Array.from({ length: height }, () => new Array(Math.ceil(width / 8)).fill(0)),
  );

const write = (name: string, bytes: Uint8Array | string) => {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
};

beforeAll(async () => {
  await initBackend();
});

describe('reading a digit from a PNG', () => {
  it('decodes 8-bit grey, RGB and 16-bit grey by luminance', () => {
    const grey = decodeGreyImage(
      greyPng(3, 2, (x, y) => 40 * x + 100 * y),
      'g.png',
    );
    expect(grey.depth).toBe(8);
    expect(Array.from(grey.data, (v) => Math.round(v * 255))).toEqual([0, 40, 80, 100, 140, 180]);

    const rgb = new PNG({ width: 1, height: 1 });
    rgb.data.set([255, 0, 0, 255]);
    const red = decodeGreyImage(PNG.sync.write(rgb, { colorType: 2 }), 'red.png');
    expect(red.colour).toBe('RGB');
    expect(red.data[0]).toBeCloseTo(0.299, 6); // ITU-R BT.601 luma of pure red

    const deep = new PNG({ width: 2, height: 1, bitDepth: 16, colorType: 0, inputColorType: 0 });
    deep.data = new Uint16Array([0, 65535]) as unknown as Buffer;
    const sixteen = decodeGreyImage(
      PNG.sync.write(deep, { bitDepth: 16, colorType: 0, inputColorType: 0 }),
      'd.png',
    );
    expect(sixteen.depth).toBe(16);
    expect(Array.from(sixteen.data)).toEqual([0, 1]);
  });

  it('composites transparent pixels over white', () => {
    const png = new PNG({ width: 2, height: 1 });
    png.data.set([0, 0, 0, 0, 0, 0, 0, 255]); // transparent, then opaque black ink
    const { data } = decodeGreyImage(PNG.sync.write(png), 'ink.png');
    expect(Array.from(data)).toEqual([1, 0]);
  });

  it('refuses what is not a PNG, a damaged PNG and a 1-bit PNG, naming the file', () => {
    expect(() => decodeGreyImage(new TextEncoder().encode('hello, not an image'), 'notes.png')).toThrow(
      /notes\.png: not a PNG or JPEG file \(expected the signature 89 50 4e 47 ... or ff d8 ff, found 68 65 6c 6c/,
    );
    expect(() => decodeGreyImage(new Uint8Array(0), 'empty.png')).toThrow(
      /empty\.png: not a PNG or JPEG file.*an empty file/,
    );
    const cut = greyPng(8, 8, () => 0).subarray(0, 40);
    expect(() => decodeGreyImage(cut, 'cut.png')).toThrow(/cut\.png: a damaged PNG file/);
    expect(() => decodeGreyImage(oneBitPng(8, 8), 'bw.png')).toThrow(ImageInputError);
    expect(() => decodeGreyImage(oneBitPng(8, 8), 'bw.png')).toThrow(
      /bw\.png: bit depth 1 \(grey\) is not supported; expected 8 or 16 bits per channel/,
    );
  });

  it('resizes by area averaging', () => {
    const src = Float32Array.from({ length: 16 }, (_, i) => i);
    const half = resizeArea({ data: src, height: 4, width: 4 }, 2, 2);
    // Each output pixel is the mean of a 2×2 block.
    expect(Array.from(half.data)).toEqual([2.5, 4.5, 10.5, 12.5]);
    expect(Array.from(resizeArea({ data: src, height: 4, width: 4 }, 4, 4).data)).toEqual(Array.from(src));
    // A non-integer ratio: 3 → 2 pixels, the middle input split half and half.
    const row = resizeArea({ data: Float32Array.of(0, 3, 6), height: 1, width: 3 }, 1, 2);
    expect(row.data[0]).toBeCloseTo((0 + 3 * 0.5) / 1.5, 6);
    expect(row.data[1]).toBeCloseTo((3 * 0.5 + 6) / 1.5, 6);
    // Averaging keeps the mean brightness at any size.
    const odd = Float32Array.from({ length: 35 }, (_, i) => (i * 7) % 11);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(resizeArea({ data: odd, height: 5, width: 7 }, 3, 4).data)).toBeCloseTo(mean(odd), 5);
  });

  it('inverts dark ink on a light page, keeps light ink on black, and pads to a square', () => {
    const page = Float32Array.from({ length: 16 }, (_, i) => (i === 5 || i === 6 ? 0 : 1));
    const dark = toDigit({ data: page, height: 4, width: 4 }, 4);
    expect(dark.inverted).toBe(true);
    expect(Array.from(dark.image.data)).toEqual(Array.from(page, (v) => 1 - v));
    const mnistLike = toDigit({ data: Float32Array.from(page, (v) => 1 - v), height: 4, width: 4 }, 4);
    expect(mnistLike.inverted).toBe(false);
    const wide = toDigit({ data: new Float32Array(8).fill(0).fill(1, 2, 3), height: 2, width: 4 }, 4);
    expect(wide.image.height).toBe(4);
    // The 2-row picture sits in the middle rows of the square, black above and below.
    expect(Array.from(wide.image.data.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(wide.image.data.subarray(4, 8))).toEqual([0, 0, 1, 0]);
  });
});

describe('random shifts', () => {
  const shape = { channels: 1, height: 5, width: 6 };
  const image = Float32Array.from({ length: 30 }, (_, i) => i + 1);
  /** The obvious per-pixel definition, to check the row-copying one against. */
  const reference = (dy: number, dx: number) =>
    Float32Array.from({ length: 30 }, (_, i) => {
      const [y, x] = [Math.floor(i / 6) - dy, (i % 6) - dx];
      return y >= 0 && y < 5 && x >= 0 && x < 6 ? image[y * 6 + x] : 0;
    });

  it.each([
    [0, 0],
    [1, 2],
    [-2, 1],
    [2, -3],
    [0, -6],
  ])('shifts by (%i, %i) like the per-pixel definition', (dy, dx) => {
    const out = new Float32Array(30).fill(-1);
    shiftImage(image, out, 0, shape, dy, dx);
    expect(Array.from(out)).toEqual(Array.from(reference(dy, dx)));
  });

  it('is seeded and bounded', () => {
    const many = new Float32Array(30 * 20).map((_, i) => (i % 30) + 1);
    const [a, b, c] = [0, 1, 2].map(() => new Float32Array(many.length));
    randomShift(many, a, shape, 1, 7);
    randomShift(many, b, shape, 1, 7);
    randomShift(many, c, shape, 1, 8);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const zero = new Float32Array(many.length);
    randomShift(many, zero, shape, 0, 7);
    expect(zero).toEqual(many);
    for (let n = 0; n < 20; n++) {
      const got = Array.from(a.subarray(30 * n, 30 * (n + 1)));
      const matches = [-1, 0, 1].flatMap((dy) =>
        [-1, 0, 1].filter((dx) => Array.from(reference(dy, dx)).every((v, i) => v === got[i])),
      );
      expect(matches.length).toBeGreaterThan(0);
    }
  });

  it('shiftEachEpoch: new shifts each epoch but the last, which gets the originals back', () => {
    const many = new Float32Array(30 * 20).map((_, i) => (i % 30) + 1);
    const target = new Float32Array(many.length);
    const augment = shiftEachEpoch(many, target, shape, { maxShift: 1, seed: 5, epochs: 3 });
    const control = {} as Parameters<NonNullable<typeof augment.onEpochBegin>>[1];
    augment.onEpochBegin?.(1, control);
    const first = target.slice();
    augment.onEpochBegin?.(2, control);
    const second = target.slice();
    expect(first).not.toEqual(many);
    expect(second).not.toEqual(many);
    expect(second).not.toEqual(first);
    // Seeded: the same epoch gives the same shifts again.
    augment.onEpochBegin?.(1, control);
    expect(target).toEqual(first);
    augment.onEpochBegin?.(3, control);
    expect(target).toEqual(many);
  });
});

describe('CNN training in process', () => {
  it('leaks no tensors over an epoch of CNN training, after the first', async () => {
    const { train } = await mnistDigits({ seed: 3, testSize: 2000 });
    const X = { data: train.images.subarray(0, 128 * 784), rows: 128, cols: 784 };
    const y = train.labels.subarray(0, 128);
    const model = buildImageModel('cnn', 10, 3);
    const optimizer = new Adam(model.trainableParameters(), { lr: 1e-3 });
    const learner = new Learner(model, {
      loss: 'crossEntropy',
      optimizer,
      metrics: ['accuracy'],
      inputShape: [1, 28, 28],
    });
    await learner.fit({ X, y }, { epochs: 1, batchSize: 32, seed: 1 }); // creates Adam's moments
    const guard = leakGuard();
    await learner.fit({ X, y }, { epochs: 1, batchSize: 32, seed: 2 });
    learner.predict(X);
    guard.check('an epoch of CNN training and a prediction');
    optimizer.dispose();
    model.dispose();
  });

  it('round-trips a CNN through a bundle with its input shape', async () => {
    const model = buildImageModel('cnn', 10, 5);
    const x = tf.randomUniform([2, 1, 28, 28], 0, 1, 'float32', 1);
    const { json, weights } = await serializeBundle(model, {
      loss: 'crossEntropy',
      outputKind: 'classScores',
      inputShape: [1, 28, 28],
      labelNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    });
    const back = await deserializeBundle(json, weights);
    expect(back.manifest.inputShape).toEqual([1, 28, 28]);
    model.eval();
    back.model.eval();
    const [a, b] = [model.forward(x), back.model.forward(x)];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
    back.model.dispose();
  });
});

describe('descent on digits', () => {
  const bundle = join(tmp, 'mnist');

  it('trains a CNN on the shipped digits, reports held-out accuracy and saves a bundle', () => {
    const run = descent(
      'train',
      '--dataset',
      'mnist-10k',
      '--model',
      'cnn',
      '--epochs',
      '1',
      '--limit',
      '600',
      '--seed',
      '1',
      '--out',
      bundle,
      '--quiet',
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /data\s+mnist-10k, 10 digits: 600 training images \(--limit 600\), 2000 test images \(held out of the shipped set, stratified, seed 1\)/,
    );
    expect(run.stdout).toMatch(/samples\/s/);
    expect(run.stdout).toMatch(/confusion matrix/);
    const accuracy = Number(
      /test set \(2000 images, held out of the shipped set, stratified, seed 1\): accuracy ([\d.]+)%/.exec(
        run.stdout,
      )?.[1],
    );
    expect(accuracy).toBeGreaterThan(50); // one epoch on 600 digits: far above chance (10 %)
    const manifest = JSON.parse(readFileSync(join(bundle, 'model.json'), 'utf8'));
    expect(manifest.inputShape).toEqual([1, 28, 28]);
    expect(manifest.labelNames).toHaveLength(10);
    expect(manifest.metrics.testAccuracy * 100).toBeCloseTo(accuracy, 1);
  });

  it('predicts a digit from a PNG exactly as from its pixels', async () => {
    const { test } = await mnistDigits({ seed: 1, testSize: 2000 });
    const digit = test.images.subarray(0, 784);
    // Dark ink on a light page at twice the size: the reader must invert it and scale it back.
    const file = write(
      'digit.png',
      greyPng(56, 56, (x, y) => 255 - Math.round(digit[(y >> 1) * 28 + (x >> 1)] * 255)),
    );
    const run = descent('predict', '--model', bundle, '--image', file);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/56×56 grey, 8-bit → grey, inverted .* resized to 28×28/);
    const printed = [...run.stdout.matchAll(/^\s*(\d)\s+([\d.]+)/gm)].map((m) => Number(m[2]));
    expect(printed).toHaveLength(10);
    const { model, manifest } = await loadBundle(bundle);
    const learner = new Learner(model, { loss: manifest.loss, inputShape: [1, 28, 28] });
    const scores = learner.predict({ data: Float32Array.from(digit), rows: 1, cols: 784 }).data;
    const exp = Array.from(scores, (s) => Math.exp(s - Math.max(...scores)));
    const probs = exp.map((e) => e / exp.reduce((a, b) => a + b, 0));
    for (const [k, p] of probs.entries()) expect(printed[k]).toBeCloseTo(p, 3);
    const best = probs.indexOf(Math.max(...probs));
    expect(run.stdout).toMatch(new RegExp(`predicted\\s+${best} \\(probability`));
    model.dispose();
    // The same picture as a JPEG (as training on a folder reads them) gives nearly the same answer.
    const jpeg = write(
      'digit.jpg',
      rgbJpeg(56, 56, (x, y) => {
        const v = 255 - Math.round(digit[(y >> 1) * 28 + (x >> 1)] * 255);
        return [v, v, v];
      }),
    );
    const fromJpeg = descent('predict', '--model', bundle, '--image', jpeg);
    expect(fromJpeg.stderr).toBe('');
    expect(fromJpeg.status).toBe(0);
    expect(fromJpeg.stdout).toMatch(/56×56 YCbCr or grey, 8-bit → grey, inverted/);
    const jpegProbs = [...fromJpeg.stdout.matchAll(/^\s*(\d)\s+([\d.]+)/gm)].map((m) => Number(m[2]));
    for (const [k, p] of probs.entries()) expect(Math.abs(jpegProbs[k] - p)).toBeLessThan(0.05);
  });

  it('trains on two threads with --workers 2 to the same model as one thread', () => {
    const args = [
      '--dataset',
      'mnist-10k',
      '--epochs',
      '1',
      '--limit',
      '256',
      '--shift',
      '0',
      '--seed',
      '3',
      '--quiet',
    ];
    const one = descent('train', ...args);
    const two = descent('train', ...args, '--workers', '2');
    expect(two.stderr).toBe('');
    expect(two.status).toBe(0);
    expect(two.stdout).toMatch(/backend \w+, 2 threads/);
    const accuracy = (out: string) => Number(/accuracy ([\d.]+)%/.exec(out)?.[1]);
    // Data-parallel gradients equal the full batch's up to float rounding: at most a digit or two differs.
    expect(Math.abs(accuracy(two.stdout) - accuracy(one.stdout))).toBeLessThanOrEqual(0.1);
    const bad = descent('train', '--dataset', 'mnist-10k', '--workers', '0');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--workers/);
  });

  it('trains the binary 3-vs-8 task and the dense baseline', () => {
    const binary = descent(
      'train',
      '--dataset',
      'mnist-binary',
      '--epochs',
      '1',
      '--limit',
      '300',
      '--quiet',
    );
    expect(binary.stderr).toBe('');
    expect(binary.status).toBe(0);
    expect(binary.stdout).toMatch(/mnist-binary, 3 \(label 1\) vs 8 \(label 0\)/);
    expect(binary.stdout).toMatch(/pred 3/);
    const mlp = descent(
      'train',
      '--dataset',
      'mnist-10k',
      '--model',
      'mlp',
      '--epochs',
      '1',
      '--limit',
      '300',
      '--quiet',
    );
    expect(mlp.status).toBe(0);
    expect(mlp.stdout).toMatch(/MLP linear 128 → linear 10, 101,770 parameters/);
  });

  it('fine-tunes the shipped backbone and compares it with training from scratch', () => {
    const out = join(tmp, 'ft');
    const run = descent(
      'finetune',
      '--model',
      'digits-0-4',
      '--dataset',
      'mnist-5-9',
      '--per-class',
      '10',
      '--epochs',
      '3',
      '--out',
      out,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/digits 5, 6, 7, 8, 9: 10 labelled images per digit \(50\)/);
    expect(run.stdout).toMatch(/held-out accuracy\s+[\d.]+%\s+[\d.]+%/);
    expect(run.stdout).toMatch(/body weights after fine-tuning: unchanged, bit for bit/);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
  });

  it.each([
    [['predict', '--model', 'MODEL', '--image', 'NOTES'], 1, /notes\.png: not a PNG or JPEG file/],
    [
      ['predict', '--model', 'MODEL', '--image', 'BOMB'],
      1,
      /bomb\.png: expected an image of at most 67108864 pixels \(--max-pixels\), found 20000 × 20000 = 400000000 pixels declared in its PNG header; raise --max-pixels/,
    ],
    [
      ['explain', '--model', 'MODEL', '--image', 'BOMB', '--out', 'OUT'],
      1,
      /bomb\.png: expected an image of at most 67108864 pixels \(--max-pixels\)/,
    ],
    [
      ['predict', '--model', 'MODEL', '--image', 'BW', '--max-pixels', '100'],
      1,
      /bw\.png: expected an image of at most 100 pixels \(--max-pixels\), found 16 × 16 = 256/,
    ],
    [
      ['predict', '--model', 'MODEL', '--image', 'BW', '--max-pixels', '0'],
      2,
      /--max-pixels: expected a positive integer, found "0"/,
    ],
    [
      ['predict', '--model', 'MODEL', '--input', '1', '--max-pixels', '9'],
      2,
      /--max-pixels: only with --image/,
    ],
    [
      ['predict', '--model', 'MODEL', '--image', 'BW'],
      1,
      /bw\.png: bit depth 1 \(grey\) is not supported; expected 8 or 16/,
    ],
    [['predict', '--model', 'MODEL', '--image', 'MISSING'], 1, /missing\.png: no such file/],
    [['predict', '--model', 'MODEL', '--image', 'NOTES', '--input', '1'], 2, /--image: expected alone/],
    [
      ['train', '--dataset', 'mnist', '--model', 'resnet'],
      2,
      /--model: expected one of cnn, mlp, found "resnet"/,
    ],
    [['train', '--dataset', 'mnist', '--model', 'mlp', '--hidden', '8'], 2, /--hidden: only for --model cnn/],
    [
      ['train', '--dataset', 'mnist', '--activation', 'relu'],
      2,
      /--activation: not used with image data sets/,
    ],
    [['train', '--dataset', 'moons', '--limit', '5'], 2, /--limit: only for image data sets/],
    [['finetune', '--dataset', 'mnist-5'], 2, /--dataset: expected mnist-<from>-<to>/],
  ])('refuses %j with exit %i and a clear message', (args, status, message) => {
    const paths: Record<string, string> = {
      MODEL: bundle,
      NOTES: write('notes.png', 'these are my notes, not a picture\n'),
      BW: write('bw.png', oneBitPng(16, 16)),
      MISSING: join(tmp, 'missing.png'),
      BOMB: write('bomb.png', bombPng(20000, 20000, 4)),
      OUT: join(tmp, 'never.html'),
    };
    const run = descent(...args.map((a) => paths[a] ?? a));
    expect(run.stderr).toMatch(message);
    expect(run.status).toBe(status);
  });
});
