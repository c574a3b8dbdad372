import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetArgumentError } from '../errors';
import { loadMnist } from './file-loaders';
import { gunzipWithStreams } from './gunzip';
import { encodeMnist, MnistFormatError } from './mnist-format';
import { gunzipWithZlib } from './node-io';

const SHIPPED = new URL('../../data/mnist-10k.u8.gz', import.meta.url);

// Printed by scripts/make-mnist.mjs when it wrote the file, from the npm package's own arrays.
const HISTOGRAM = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
const BYTE_SUM_FIRST = 31095;
const BYTE_SUM_LAST = 19255;
const BYTE_SUM_ALL = 262146600;

const dir = mkdtempSync(join(tmpdir(), 'load-mnist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two images: a blank 5 and a 3 whose pixel p is p mod 256. */
function twoImages() {
  const images = new Uint8Array(2 * 784);
  for (let p = 0; p < 784; p++) images[784 + p] = p % 256;
  return encodeMnist({ images, labels: Uint8Array.from([5, 3]), count: 2 });
}

/** Byte equality without toEqual, which is slow on megabyte arrays. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function sum(bytes: Uint8Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += bytes[i];
  return s;
}

describe('loadMnist', () => {
  it('reads the shipped file: 10,000 digits with the histogram and pixel sums of the source', async () => {
    const d = await loadMnist();
    expect([d.count, d.channels, d.height, d.width]).toEqual([10000, 1, 28, 28]);
    expect(d.images).toBeInstanceOf(Uint8Array);
    expect(d.images.length).toBe(10000 * 784);
    const histogram = new Array(10).fill(0);
    for (const y of d.labels) histogram[y]++;
    expect(histogram).toEqual(HISTOGRAM);
    // The file keeps the package's order: grouped by digit, ascending.
    expect(d.labels.every((y, i) => i === 0 || y >= d.labels[i - 1])).toBe(true);
    expect(sum(d.images, 0, 784)).toBe(BYTE_SUM_FIRST);
    expect(sum(d.images, 9999 * 784, 10000 * 784)).toBe(BYTE_SUM_LAST);
    expect(sum(d.images, 0, d.images.length)).toBe(BYTE_SUM_ALL);
    // 0 is background, and the top-left corner is background.
    expect(d.images[0]).toBe(0);
  });

  it('decodes once per process and source', async () => {
    const [a, b] = await Promise.all([loadMnist(), loadMnist({})]);
    expect(b).toBe(a);
    expect(await loadMnist()).toBe(a);
    const bytes = twoImages();
    const fromBytes = await loadMnist({ source: bytes });
    expect(await loadMnist({ source: bytes })).toBe(fromBytes);
    expect(await loadMnist({ source: twoImages() })).not.toBe(fromBytes);
  });

  it('loads from given bytes, gzipped or not, as Uint8Array or ArrayBuffer', async () => {
    const shipped = new Uint8Array(readFileSync(SHIPPED));
    const fromBytes = await loadMnist({ source: shipped });
    expect(fromBytes.count).toBe(10000);
    expect(sameBytes(fromBytes.images, (await loadMnist()).images)).toBe(true);
    const plain = twoImages();
    for (const source of [
      plain,
      plain.slice().buffer,
      gzipSync(plain),
      new Uint8Array(gzipSync(plain)).buffer,
    ]) {
      const d = await loadMnist({ source });
      expect(d.count).toBe(2);
      expect(Array.from(d.labels)).toEqual([5, 3]);
      expect(d.images[784 + 300]).toBe(300 % 256);
    }
  });

  it('loads from a path, a file URL and a fetched data: URL', async () => {
    const file = join(dir, 'two.u8.gz');
    writeFileSync(file, gzipSync(twoImages()));
    expect((await loadMnist({ source: file })).count).toBe(2);
    expect((await loadMnist({ source: pathToFileURL(file) })).count).toBe(2);
    const dataUrl = `data:application/gzip;base64,${gzipSync(twoImages()).toString('base64')}`;
    expect(Array.from((await loadMnist({ source: dataUrl })).labels)).toEqual([5, 3]);
  });

  it('names the file when it is missing, truncated or corrupt', async () => {
    const missing = join(dir, 'missing.u8.gz');
    await expect(loadMnist({ source: missing })).rejects.toThrow(`loadMnist: cannot read ${missing}`);
    const gz = gzipSync(twoImages());
    const truncated = join(dir, 'truncated.u8.gz');
    writeFileSync(truncated, gz.subarray(0, gz.length - 20));
    await expect(loadMnist({ source: truncated })).rejects.toThrow(MnistFormatError);
    await expect(loadMnist({ source: truncated })).rejects.toThrow(
      `${truncated} is not a valid MNIST digits file`,
    );
    const flipped = Buffer.from(gz);
    flipped[gz.length - 6] ^= 0xff; // inside the CRC-32 trailer
    await expect(loadMnist({ source: flipped })).rejects.toThrow(/corrupt or truncated gzip data/);
    const short = join(dir, 'short.u8.gz');
    writeFileSync(short, gzipSync(twoImages().subarray(0, 800)));
    await expect(loadMnist({ source: short })).rejects.toThrow(/expected 1586 bytes for 2 images, found 800/);
  });

  it('forgets a failed load, so a retry reads the file again', async () => {
    const later = join(dir, 'later.u8.gz');
    await expect(loadMnist({ source: later })).rejects.toThrow(/cannot read/);
    writeFileSync(later, gzipSync(twoImages()));
    expect((await loadMnist({ source: later })).count).toBe(2);
  });

  it('rejects sources of the wrong kind', async () => {
    await expect(loadMnist({ source: 42 as never })).rejects.toThrow(DatasetArgumentError);
    await expect(loadMnist({ source: 42 as never })).rejects.toThrow(
      /source: expected a Uint8Array, ArrayBuffer, URL or path string, found 42/,
    );
    await expect(loadMnist('data.gz' as never)).rejects.toThrow(/options: expected an options object/);
  });
});

describe('gunzip', () => {
  it('gives the same bytes through node:zlib and DecompressionStream', async () => {
    const plain = twoImages();
    const gz = gzipSync(plain);
    expect(await gunzipWithZlib(gz)).toEqual(new Uint8Array(plain));
    expect(await gunzipWithStreams(gz)).toEqual(new Uint8Array(plain));
  });
});
