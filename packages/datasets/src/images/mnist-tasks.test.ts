import { describe, expect, it } from 'vitest';
import { DatasetArgumentError } from '../errors';
import { loadMnist, mnistBinary, mnistDigits, mnistSubset } from './file-loaders';
import type { FloatImageDataset } from './image-dataset';
import type { MnistData } from './mnist-format';

const SIZE = 784;

/** FNV-1a over an image's bytes; `scale` undoes normalisation (255 for [0, 1] floats). */
function imageKey(images: Uint8Array | Float32Array, i: number, scale: number): number {
  let h = 0x811c9dc5;
  for (let p = 0; p < SIZE; p++) {
    h ^= Math.round(images[i * SIZE + p] * scale);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Digit of each raw image, keyed by its bytes, as a multiset. */
function rawKeys(raw: MnistData, digits: number[]): Map<number, number[]> {
  const keys = new Map<number, number[]>();
  for (let i = 0; i < raw.count; i++) {
    if (!digits.includes(raw.labels[i])) continue;
    const k = imageKey(raw.images, i, 1);
    keys.set(k, [...(keys.get(k) ?? []), raw.labels[i]]);
  }
  return keys;
}

/**
 * Checks that train and test together hold each raw image of `digits` exactly once, and that
 * every image kept its digit: digits[label] must be the digit the raw file gives it.
 */
function expectPartitionOfRaw(raw: MnistData, digits: number[], parts: FloatImageDataset[]) {
  const keys = rawKeys(raw, digits);
  let total = 0;
  let unmatched = 0;
  for (const part of parts) {
    for (let i = 0; i < part.count; i++) {
      const left = keys.get(imageKey(part.images, i, 255));
      const at = left ? left.indexOf(digits[part.labels[i]]) : -1;
      if (at < 0) unmatched++;
      else left!.splice(at, 1);
      total++;
    }
  }
  expect(unmatched).toBe(0);
  expect(total).toBe(raw.labels.filter((y) => digits.includes(y)).length);
}

/** Element-wise equality without toEqual, which is slow on megabyte arrays. */
function same(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function histogram(labels: Float32Array, k: number): number[] {
  const out = new Array(k).fill(0);
  for (const y of labels) out[y]++;
  return out;
}

describe('MNIST tasks', () => {
  it('mnistDigits splits all 10,000 digits, stratified, with pixels in [0, 1]', async () => {
    const raw = await loadMnist();
    const { train, test } = await mnistDigits({ seed: 1 });
    expect(train.count + test.count).toBe(10000);
    expect(Math.abs(test.count - 2000)).toBeLessThanOrEqual(5);
    expect(train.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect([train.channels, train.height, train.width]).toEqual([1, 28, 28]);
    expect(train.images).toBeInstanceOf(Float32Array);
    expect(train.labels).toBeInstanceOf(Float32Array);
    expect(train.images.every((v) => v >= 0 && v <= 1)).toBe(true);
    // Each digit puts round(20%) of its images into test.
    const all = histogram(Float32Array.from(raw.labels), 10);
    expect(histogram(test.labels, 10)).toEqual(all.map((c) => Math.round(c * (2000 / 10000))));
    expectPartitionOfRaw(raw, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [train, test]);
    // Shuffled, not grouped by digit as in the file.
    expect(train.labels.slice(0, 50).some((y) => y !== train.labels[0])).toBe(true);
  });

  it('is seeded, takes a fraction or a count, and can keep 0..255 pixels', async () => {
    // 3s and 8s: 1976 images, so a count of 494 is the fraction 0.25 exactly.
    const a = await mnistBinary({ seed: 7, testSize: 0.25 });
    const b = await mnistBinary({ seed: 7, testSize: 494 });
    expect(b.test.labels).toEqual(a.test.labels);
    expect(same(b.test.images, a.test.images)).toBe(true);
    expect(same(b.train.images, a.train.images)).toBe(true);
    const c = await mnistBinary({ seed: 8, testSize: 0.25 });
    expect(c.test.labels).not.toEqual(a.test.labels);
    const raw = await mnistBinary({ seed: 7, testSize: 0.25, normalise: false });
    expect(raw.test.labels).toEqual(a.test.labels);
    expect(
      raw.test.images.every((v, i) => Number.isInteger(v) && Math.abs(a.test.images[i] - v / 255) < 1e-7),
    ).toBe(true);
    expect(raw.test.images.some((v) => v > 1)).toBe(true);
  });

  it('mnistBinary labels the positive digit 1 and the negative 0', async () => {
    const raw = await loadMnist();
    const { train, test } = await mnistBinary({ seed: 2 });
    expect(train.classes).toEqual(['8', '3']);
    const counts = histogram(Float32Array.from(raw.labels), 10);
    expect(histogram(train.labels, 2).map((c, k) => c + histogram(test.labels, 2)[k])).toEqual([
      counts[8],
      counts[3],
    ]);
    expect(histogram(test.labels, 2)).toEqual([Math.round(counts[8] * 0.2), Math.round(counts[3] * 0.2)]);
    expectPartitionOfRaw(raw, [8, 3], [train, test]);
    const other = await mnistBinary({ positive: 1, negative: 7, seed: 2, testSize: 0.5 });
    expect(other.test.classes).toEqual(['7', '1']);
    expectPartitionOfRaw(raw, [7, 1], [other.train, other.test]);
  });

  it('mnistSubset relabels digits in the order given and draws perClass training images', async () => {
    const raw = await loadMnist();
    const digits = [9, 5, 7];
    const few = await mnistSubset({ digits, perClass: 10, seed: 3 });
    expect(few.train.classes).toEqual(['9', '5', '7']);
    expect(histogram(few.train.labels, 3)).toEqual([10, 10, 10]);
    const whole = await mnistSubset({ digits, seed: 3 });
    expectPartitionOfRaw(raw, digits, [whole.train, whole.test]);
    // The test side does not depend on perClass, so learning curves share one test set.
    expect(few.test.labels).toEqual(whole.test.labels);
    expect(same(few.test.images, whole.test.images)).toBe(true);
    const more = await mnistSubset({ digits, perClass: 20, seed: 3 });
    expect(histogram(more.train.labels, 3)).toEqual([20, 20, 20]);
    const otherSeed = await mnistSubset({ digits, perClass: 10, seed: 4 });
    expect(same(otherSeed.train.images, few.train.images)).toBe(false);
  });

  it('rejects bad options with the argument named', async () => {
    await expect(mnistBinary({ positive: 3, negative: 3 })).rejects.toThrow(
      /negative: expected a digit other than positive \(3\), found 3/,
    );
    await expect(mnistBinary({ positive: 10 })).rejects.toThrow(
      /positive: expected a digit, an integer in 0..9, found 10/,
    );
    await expect(mnistDigits({ testSize: 0 })).rejects.toThrow(
      /testSize: expected a fraction in \(0, 1\) or a count in 1..9999, found 0/,
    );
    await expect(mnistDigits({ testSize: 10000 })).rejects.toThrow(/testSize/);
    await expect(mnistDigits({ testSize: 1.5 })).rejects.toThrow(/testSize/);
    await expect(mnistDigits({ seed: 0.5 })).rejects.toThrow(/seed: expected an integer seed/);
    await expect(mnistDigits({ normalise: 1 as never })).rejects.toThrow(/normalise: expected true or false/);
    await expect(mnistSubset({ digits: [4] })).rejects.toThrow(/digits: expected an array of at least 2/);
    await expect(mnistSubset({ digits: [4, 4] })).rejects.toThrow(/digits: expected distinct digits/);
    await expect(mnistSubset({ digits: [4, 11] })).rejects.toThrow(/digits\[1\]/);
    await expect(mnistSubset({ digits: [0, 1], perClass: 0 })).rejects.toThrow(
      /perClass: expected a positive integer/,
    );
    await expect(mnistSubset({ digits: [5, 1], perClass: 5000 })).rejects.toThrow(
      /perClass: expected at most 690 \(the training images of digit 5\), found 5000/,
    );
    await expect(mnistSubset(undefined as never)).rejects.toThrow(DatasetArgumentError);
  });
});
