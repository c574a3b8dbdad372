import { describe, expect, it } from 'vitest';
import { ImageFileError } from '../errors';
import { decodeImage, decodeJpeg, decodePng } from '../images/decode-image';
import { greyPng, rawPng, rgbaPng, rgbJpeg } from '../images/image-files-testing';
import { fuzz, fuzzCases, type Mutation } from './mutate';

/** The limit in the fuzz runs: small, so a decode past it would show. */
const MAX_PIXELS = 64 * 64;

const PNGS = [
  greyPng(8, 8, (x, y) => 30 * x + y),
  rgbaPng(12, 10, (x, y) => [20 * x, 20 * y, 128, 200], 6),
  rgbaPng(5, 7, (x, y) => [x * 40, 0, y * 30, 255], 2),
  rgbaPng(6, 6, (x) => [x * 40, x * 40, x * 40, x * 40], 4),
  rawPng(
    8,
    2,
    4,
    3,
    [
      [0x01, 0x23, 0x45, 0x67],
      [0x76, 0x54, 0x32, 0x10],
    ],
    [0, 0, 0, 255, 255, 255, 9, 9, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  ),
  rawPng(
    16,
    4,
    16,
    0,
    Array.from({ length: 4 }, () => new Array(32).fill(7)),
  ),
];
const JPEGS = [
  rgbJpeg(16, 16, (x, y) => [x * 16, y * 16, 128], 90),
  rgbJpeg(24, 8, (x) => [x * 10, 255 - x * 10, 40], 50),
  rgbJpeg(33, 17, (x, y) => [(x * y) % 256, x, y], 75),
];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array) => {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

const SIZES = [0, 1, 65, 4097, 20000, 65535, 0x7fffffff, 0x80000000, 0xffffffff];

/** A PNG declaring another size, its CRC fixed so that only the size is wrong. */
const pngSize: Mutation = (bytes, g) => {
  const out = bytes.slice();
  if (out.length < 33) return out;
  const view = new DataView(out.buffer);
  for (const at of [16, 20]) {
    if (g.uniform() < 0.7)
      view.setUint32(at, g.uniform() < 0.5 ? SIZES[g.int(SIZES.length)] : g.int(2 ** 31), false);
  }
  view.setUint32(29, crc32(out.subarray(12, 29)), false);
  return out;
};

/** A JPEG whose frame header declares another size. */
const jpegSize: Mutation = (bytes, g) => {
  const out = bytes.slice();
  for (let i = 2; i + 8 < out.length; ) {
    if (out[i] !== 0xff) break;
    if (out[i + 1] === 0xc0) {
      const view = new DataView(out.buffer);
      view.setUint16(i + 5, g.uniform() < 0.5 ? g.int(65536) : SIZES[g.int(4)] & 0xffff, false);
      view.setUint16(i + 7, g.uniform() < 0.5 ? g.int(65536) : 65535, false);
      break;
    }
    i += 2 + ((out[i + 2] << 8) | out[i + 3]);
  }
  return out;
};

const expected = (err: unknown) => err instanceof ImageFileError && err.message.startsWith('fuzz: ');
const pixels = (image: { width: number; height: number; rgba: Uint8Array }) => {
  if (image.rgba.length !== 4 * image.width * image.height) throw new Error('rgba of the wrong length');
  return image.width * image.height;
};

describe('image decoders under fuzzing', () => {
  it('decodePng throws only ImageFileError, within 2 s, never past maxPixels', async () => {
    const report = await fuzz(
      {
        name: 'decodePng',
        seeds: PNGS,
        mutations: { pngSize },
        read: (bytes) => pixels(decodePng(bytes, 'fuzz', { maxPixels: MAX_PIXELS })),
        expected,
        limit: MAX_PIXELS,
      },
      fuzzCases(400),
      3,
    );
    expect(report.failures).toEqual([]);
    expect(report.outcomes.ImageTooLargeError).toBeGreaterThan(0);
  });

  it('decodeJpeg does the same', async () => {
    const report = await fuzz(
      {
        name: 'decodeJpeg',
        seeds: JPEGS,
        mutations: { jpegSize },
        read: (bytes) => pixels(decodeJpeg(bytes, 'fuzz', { maxPixels: MAX_PIXELS })),
        expected,
        limit: MAX_PIXELS,
      },
      fuzzCases(300),
      4,
    );
    expect(report.failures).toEqual([]);
    expect(report.outcomes.ImageTooLargeError).toBeGreaterThan(0);
  });

  it('decodeImage tells the formats apart on damaged bytes too', async () => {
    const report = await fuzz(
      {
        name: 'decodeImage',
        seeds: [...PNGS, ...JPEGS],
        mutations: { pngSize, jpegSize },
        read: (bytes) => pixels(decodeImage(bytes, 'fuzz', { maxPixels: MAX_PIXELS })),
        expected,
        limit: MAX_PIXELS,
      },
      fuzzCases(200),
      5,
    );
    expect(report.failures).toEqual([]);
  });
});
