import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIdxFolder, readIdx } from './file-loaders';
import { IDX_SPLIT_FILES, idxImageDataset } from './idx-dataset';
import { encodeIdx, IdxFormatError } from './idx-format';

const root = mkdtempSync(join(tmpdir(), 'idx-dataset-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CLASSES = ['a', 'b', 'c'];

/** n images of 4×3 whose pixels are (image index * 10 + pixel index) mod 256, labels i mod 3. */
function imagesIdx(n: number, h = 4, w = 3) {
  const data = Uint8Array.from(
    { length: n * h * w },
    (_, k) => (Math.floor(k / (h * w)) * 10 + (k % (h * w))) % 256,
  );
  return encodeIdx({ type: 'uint8', shape: [n, h, w], data });
}
const labelsIdx = (labels: number[]) =>
  encodeIdx({ type: 'uint8', shape: [labels.length], data: Uint8Array.from(labels) });

function folder(
  name: string,
  files: Partial<Record<keyof typeof IDX_SPLIT_FILES, Uint8Array>>,
  gzip = false,
) {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [key, bytes] of Object.entries(files)) {
    const file = IDX_SPLIT_FILES[key as keyof typeof IDX_SPLIT_FILES];
    writeFileSync(join(dir, gzip ? `${file}.gz` : file), gzip ? gzipSync(bytes) : bytes);
  }
  return dir;
}

const goodFiles = () => ({
  trainImages: imagesIdx(5),
  trainLabels: labelsIdx([0, 1, 2, 0, 1]),
  testImages: imagesIdx(2),
  testLabels: labelsIdx([2, 2]),
});

describe('readIdx', () => {
  it('reads plain and gzipped files to the same array', async () => {
    const dir = folder('read', { trainImages: imagesIdx(2) });
    const plain = await readIdx(join(dir, IDX_SPLIT_FILES.trainImages));
    writeFileSync(join(dir, 'x.gz'), gzipSync(imagesIdx(2)));
    const zipped = await readIdx(join(dir, 'x.gz'));
    expect(zipped.shape).toEqual([2, 4, 3]);
    expect(Array.from(zipped.data)).toEqual(Array.from(plain.data));
  });

  it('names the file in errors: corrupt gzip, missing file', async () => {
    const dir = folder('corrupt', {});
    const cut = gzipSync(imagesIdx(3)).subarray(0, 20);
    writeFileSync(join(dir, 'cut.gz'), cut);
    await expect(readIdx(join(dir, 'cut.gz'))).rejects.toThrow(
      /cut\.gz is not a valid IDX file: corrupt or truncated gzip data/,
    );
    await expect(readIdx(join(dir, 'nope'))).rejects.toThrow(/readIdx: cannot read .*nope/);
  });
});

describe('loadIdxFolder', () => {
  it('pairs images with labels, plain or gzipped', async () => {
    for (const gzip of [false, true]) {
      const { train, test } = await loadIdxFolder(folder(`good-${gzip}`, goodFiles(), gzip), CLASSES);
      expect([train.count, train.channels, train.height, train.width]).toEqual([5, 1, 4, 3]);
      expect(Array.from(train.labels)).toEqual([0, 1, 2, 0, 1]);
      expect(train.images[12]).toBe(10); // image 1, pixel 0
      expect(train.classes).toEqual(CLASSES);
      expect(test.count).toBe(2);
    }
  });

  it('refuses mismatched counts, naming both files', async () => {
    const files = { ...goodFiles(), trainLabels: labelsIdx([0, 1, 2, 0]) };
    const dir = folder('counts', files);
    const error = await loadIdxFolder(dir, CLASSES).catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toMatch(
      /train-labels-idx1-ubyte: expected 5 labels \(one per image of .*train-images-idx3-ubyte\), found 4/,
    );
  });

  it('refuses a label outside the classes, a missing file, a truncated file', async () => {
    const big = folder('label', { ...goodFiles(), testLabels: labelsIdx([2, 3]) });
    await expect(loadIdxFolder(big, CLASSES)).rejects.toThrow(
      /t10k-labels-idx1-ubyte: label 1: expected a class index in 0\.\.2, found 3/,
    );
    const { testLabels: _, ...three } = goodFiles();
    const missing = folder('missing', three);
    await expect(loadIdxFolder(missing, CLASSES)).rejects.toThrow(
      /missing: expected t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte\.gz in this folder, found neither/,
    );
    const cut = folder('cut', { ...goodFiles(), trainImages: imagesIdx(5).subarray(0, 40) });
    await expect(loadIdxFolder(cut, CLASSES)).rejects.toThrow(
      /train-images-idx3-ubyte is not a valid IDX file: .*\(truncated\)/,
    );
    await expect(loadIdxFolder(join(root, 'no-such-dir'), CLASSES)).rejects.toThrow(
      /no-such-dir: expected a folder .*found nothing/,
    );
  });

  it('refuses test images of another size than the training images', async () => {
    const dir = folder('sizes', { ...goodFiles(), testImages: imagesIdx(2, 3, 3) });
    await expect(loadIdxFolder(dir, CLASSES)).rejects.toThrow(
      /expected test images the size of the training images \(1×4×3\), found 1×3×3/,
    );
  });
});

describe('idxImageDataset', () => {
  it('takes [N, C, H, W] images and refuses other ranks and types', () => {
    const x = { type: 'uint8' as const, shape: [2, 3, 1, 1], data: Uint8Array.from([1, 2, 3, 4, 5, 6]) };
    const y = { type: 'uint8' as const, shape: [2], data: Uint8Array.from([0, 1]) };
    expect(idxImageDataset(x, y, CLASSES).channels).toBe(3);
    expect(() => idxImageDataset({ ...x, shape: [6] }, y, CLASSES)).toThrow(
      /images: expected images as uint8 of shape \[N, H, W\] or \[N, C, H, W\], found uint8 of shape \[6\]/,
    );
    const floats = { type: 'float32' as const, shape: [2], data: Float32Array.from([0, 1]) };
    expect(() => idxImageDataset(x, floats, CLASSES)).toThrow(
      /labels: expected labels as uint8 of shape \[N\], found float32/,
    );
  });
});

describe('readIdx limits', () => {
  it('stops a gzip that expands past maxBytes, naming the file and the limit', async () => {
    // 4 MB of zeros gzip to about 4 KB.
    const shape = [4, 1000, 1000];
    const bomb = gzipSync(encodeIdx({ type: 'uint8', shape, data: new Uint8Array(4e6) }));
    expect(bomb.length).toBeLessThan(10000);
    await expect(readIdx(bomb, 'bomb.gz', { maxBytes: 1e6 })).rejects.toThrow(
      'bomb.gz is not a valid IDX file: expected at most 1000000 bytes once gunzipped (maxBytes), found more; raise maxBytes to read it',
    );
    expect((await readIdx(bomb, 'bomb.gz')).shape).toEqual(shape);
    const plain = encodeIdx({ type: 'uint8', shape: [10], data: new Uint8Array(10) });
    await expect(readIdx(plain, 'p', { maxBytes: 12 })).rejects.toThrow(
      'p: expected an IDX file of at most 12 bytes (maxBytes), found 18',
    );
    await expect(readIdx(plain, 'p', { maxBytes: 0 })).rejects.toThrow(
      'maxBytes: expected a positive integer (bytes), found 0',
    );
  });

  it('names a header declaring more values than the file holds without allocating them', async () => {
    const bytes = Uint8Array.from([
      0, 0, 8, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1,
    ]);
    await expect(readIdx(bytes, 'huge')).rejects.toThrow(IdxFormatError);
    await expect(readIdx(bytes, 'huge')).rejects.toThrow(/truncated/);
  });
});
