import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetArgumentError } from '../errors';
import { readIdx } from '../images/file-loaders';
import { encodeIdx, IdxFormatError } from '../images/idx-format';
import { fuzz, fuzzCases, type Mutation } from './mutate';

/** The limit in the fuzz runs: 1 MiB once gunzipped. */
const MAX_BYTES = 2 ** 20;

const plain = [
  encodeIdx({ type: 'uint8', shape: [5, 6, 6], data: Uint8Array.from({ length: 180 }, (_, i) => i) }),
  encodeIdx({ type: 'uint8', shape: [5], data: Uint8Array.from([0, 1, 2, 1, 0]) }),
  encodeIdx({ type: 'float32', shape: [3, 4], data: Float32Array.from({ length: 12 }, (_, i) => i / 3) }),
  encodeIdx({ type: 'int16', shape: [2, 2, 2, 2], data: Int16Array.from({ length: 16 }, (_, i) => -i) }),
];
// A gzipped set, and a small gzip of 4 MiB of zeros declared as images: a bomb past the limit.
const SEEDS = [
  ...plain,
  gzipSync(plain[0]),
  gzipSync(encodeIdx({ type: 'uint8', shape: [4, 1024, 1024], data: new Uint8Array(4 * 2 ** 20) })),
];

/** Declares other dimensions (or another rank) in the header. */
const dims: Mutation = (bytes, g) => {
  const out = bytes.slice();
  if (out.length < 8 || out[0] === 0x1f) return out;
  const view = new DataView(out.buffer);
  if (g.uniform() < 0.2) out[3] = [0, 1, 4, 255][g.int(4)];
  const rank = Math.min(out[3], (out.length - 4) >> 2);
  if (rank > 0) view.setUint32(4 + 4 * g.int(rank), [0, 1, 2 ** 16, 2 ** 31, 2 ** 32 - 1][g.int(5)], false);
  return out;
};

describe('readIdx under fuzzing', () => {
  it('throws only IdxFormatError, within 2 s, never holding more than maxBytes', async () => {
    const report = await fuzz(
      {
        name: 'readIdx',
        seeds: SEEDS,
        mutations: { dims },
        read: async (bytes) => {
          const idx = await readIdx(bytes, 'fuzz', { maxBytes: MAX_BYTES });
          return idx.data.byteLength;
        },
        expected: (err) =>
          (err instanceof IdxFormatError || err instanceof DatasetArgumentError) &&
          err.message.startsWith('fuzz'),
        limit: MAX_BYTES,
      },
      fuzzCases(400),
      6,
    );
    expect(report.failures).toEqual([]);
    expect(report.outcomes.IdxFormatError).toBeGreaterThan(0);
  });
});
