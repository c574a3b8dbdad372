import { describe, expect, it } from 'vitest';
import { decodeIdx, encodeIdx, type IdxArray, IdxFormatError } from './idx-format';

/** The header MNIST's documentation spells out: magic 0x00000803, then 3 big-endian dimensions. */
function handMadeImages(): Uint8Array {
  const header = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3];
  return Uint8Array.from([...header, 1, 2, 3, 4, 5, 6, 250, 251, 252, 253, 254, 255]);
}

describe('decodeIdx', () => {
  it('reads the documented layout: magic, big-endian dimensions, row-major bytes', () => {
    const idx = decodeIdx(handMadeImages(), 'hand.idx');
    expect(idx.type).toBe('uint8');
    expect(idx.shape).toEqual([2, 2, 3]);
    expect(Array.from(idx.data)).toEqual([1, 2, 3, 4, 5, 6, 250, 251, 252, 253, 254, 255]);
    expect(idx.data).toBeInstanceOf(Uint8Array);
  });

  it('reads multi-byte types big-endian (bytes written by hand)', () => {
    // int16 [2]: 0x0102 = 258 and 0xfffe = -2; float32 [1]: 0x3fc00000 = 1.5.
    const int16 = decodeIdx(Uint8Array.from([0, 0, 0x0b, 1, 0, 0, 0, 2, 0x01, 0x02, 0xff, 0xfe]), 'i16');
    expect(int16.type).toBe('int16');
    expect(Array.from(int16.data)).toEqual([258, -2]);
    const f32 = decodeIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0]), 'f32');
    expect(Array.from(f32.data)).toEqual([1.5]);
  });

  it('round-trips every type through encodeIdx', () => {
    const cases: IdxArray[] = [
      { type: 'uint8', shape: [3], data: Uint8Array.from([0, 128, 255]) },
      { type: 'int8', shape: [3], data: Int8Array.from([-128, 0, 127]) },
      { type: 'int16', shape: [2, 2], data: Int16Array.from([-32768, -1, 1, 32767]) },
      { type: 'int32', shape: [2], data: Int32Array.from([-2147483648, 2147483647]) },
      { type: 'float32', shape: [1, 3], data: Float32Array.from([-0.5, 0, 3.25]) },
      { type: 'float64', shape: [2], data: Float64Array.from([Math.PI, -1e300]) },
    ];
    for (const c of cases) {
      const back = decodeIdx(encodeIdx(c), c.type);
      expect(back.type).toBe(c.type);
      expect(back.shape).toEqual(c.shape);
      expect(Array.from(back.data)).toEqual(Array.from(c.data));
    }
    expect(
      encodeIdx({ type: 'uint8', shape: [2, 2, 3], data: decodeIdx(handMadeImages(), 'x').data }),
    ).toEqual(handMadeImages());
  });

  it('refuses a wrong magic number, naming the file and the bytes found', () => {
    const gzipLike = Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    expect(() => decodeIdx(gzipLike, 'x.gz')).toThrow(IdxFormatError);
    expect(() => decodeIdx(gzipLike, 'x.gz')).toThrow(
      /x\.gz is not a valid IDX file: expected a magic number 00 00 <type .*found 1f 8b 08 00/,
    );
    const badType = Uint8Array.from([0, 0, 0x0a, 1, 0, 0, 0, 0]);
    expect(() => decodeIdx(badType, 'bad-type')).toThrow(/found 00 00 0a 01/);
    expect(() => decodeIdx(Uint8Array.from([0, 0]), 'tiny')).toThrow(
      /expected a 4-byte magic number, found 2 bytes/,
    );
    expect(() => decodeIdx(Uint8Array.from([0, 0, 8, 0]), 'rank0')).toThrow(
      /expected at least 1 dimension, found 0/,
    );
  });

  it('refuses a truncated header or body, and trailing bytes, with the counts', () => {
    const good = handMadeImages();
    expect(() => decodeIdx(good.subarray(0, 10), 'short-header')).toThrow(
      /short-header .*expected a 16-byte header for 3 dimensions, found 10 bytes/,
    );
    expect(() => decodeIdx(good.subarray(0, good.length - 1), 'cut')).toThrow(
      /cut is not a valid IDX file: expected 28 bytes for shape \[2, 2, 3\] of uint8, found 27 \(truncated\)/,
    );
    const padded = new Uint8Array(good.length + 2);
    padded.set(good);
    expect(() => decodeIdx(padded, 'padded')).toThrow(/expected 28 bytes .* found 30 \(trailing bytes\)/);
  });

  it('refuses to encode an inconsistent array, naming the argument', () => {
    expect(() => encodeIdx({ type: 'uint8', shape: [4], data: new Uint8Array(3) })).toThrow(
      /array\.data: expected a Uint8Array of length 4/,
    );
    expect(() => encodeIdx({ type: 'uint8', shape: [1.5], data: new Uint8Array(1) })).toThrow(
      /array\.shape\[0\]/,
    );
  });
});
