import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { Linear } from './linear';
import { loadSafetensors } from './load-safetensors';
import { SafetensorsError } from './safetensors-format';
import { saveSafetensors } from './save-safetensors';
import { Sequential } from './sequential';
import { Softplus } from './softplus';

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** A file from its parts: u64 little-endian header length, header bytes, data bytes. */
function file(header: string | object, data: number[] = []): Uint8Array {
  const text = typeof header === 'string' ? header : JSON.stringify(header);
  const bytes = ascii(text);
  const n = bytes.length;
  return new Uint8Array([
    n & 0xff,
    (n >> 8) & 0xff,
    (n >> 16) & 0xff,
    n >>> 24,
    0,
    0,
    0,
    0,
    ...bytes,
    ...data,
  ]);
}

const bytesOf = (t: tf.Tensor) => {
  const d = t.dataSync();
  return Array.from(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
};

function failure(bytes: Uint8Array): string {
  try {
    loadSafetensors(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(SafetensorsError);
    return (err as Error).message;
  }
  throw new Error('expected loadSafetensors to fail');
}

// Written out by hand from the format description: 110-byte header, F32 [1, -2.5], I32 [[-2]].
const reference = new Uint8Array([
  110,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  ...ascii(
    '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[1,1],"data_offsets":[8,12]}}',
  ),
  0x00,
  0x00,
  0x80,
  0x3f,
  0x00,
  0x00,
  0x20,
  0xc0,
  0xfe,
  0xff,
  0xff,
  0xff,
]);

describe('loadSafetensors', () => {
  it('reads a reference file built byte by byte', () => {
    const { tensors, metadata, notes } = loadSafetensors(reference);
    expect(Object.keys(tensors)).toEqual(['a', 'b']);
    expect(tensors.a.dtype).toBe('float32');
    expect(tensors.a.shape).toEqual([2]);
    expect(Array.from(tensors.a.dataSync())).toEqual([1, -2.5]);
    expect(tensors.b.dtype).toBe('int32');
    expect(tensors.b.shape).toEqual([1, 1]);
    expect(Array.from(tensors.b.dataSync())).toEqual([-2]);
    expect(metadata).toEqual({});
    expect(notes).toEqual([]);
    tf.dispose(Object.values(tensors));
  });

  it('reads data at an unaligned offset inside a larger buffer', () => {
    const outer = new Uint8Array(reference.length + 3);
    outer.set(reference, 3);
    const { tensors } = loadSafetensors(outer.subarray(3));
    expect(Array.from(tensors.a.dataSync())).toEqual([1, -2.5]);
    tf.dispose(Object.values(tensors));
  });

  it('reads a Node Buffer cut from a larger pool (whose slice() shares memory)', () => {
    const pool = Buffer.alloc(reference.length + 16, 0xff);
    pool.set(reference, 8);
    const { tensors } = loadSafetensors(pool.subarray(8, 8 + reference.length));
    expect(Array.from(tensors.a.dataSync())).toEqual([1, -2.5]);
    tf.dispose(Object.values(tensors));
  });

  it('converts F64, F16, BF16 and integer types, saying so in notes', () => {
    const f64 = [0, 0, 0, 0, 0, 0, 0xf8, 0x3f, 0, 0, 0, 0, 0, 0, 0x02, 0xc0]; // 1.5, -2.25
    const f16 = [0x00, 0x3c, 0x00, 0xc0, 0x00, 0x7c, 0x01, 0x00]; // 1, -2, Infinity, 2^-24
    const bf16 = [0x80, 0x3f, 0x49, 0x40]; // 1, 3.140625
    const i64 = [0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]; // -5
    const u8 = [0, 255];
    const bool = [1, 0, 1];
    const bytes = file(
      {
        __metadata__: { format: 'pt' },
        d: { dtype: 'F64', shape: [2], data_offsets: [0, 16] },
        h: { dtype: 'F16', shape: [4], data_offsets: [16, 24] },
        g: { dtype: 'BF16', shape: [2], data_offsets: [24, 28] },
        l: { dtype: 'I64', shape: [1], data_offsets: [28, 36] },
        u: { dtype: 'U8', shape: [2], data_offsets: [36, 38] },
        m: { dtype: 'BOOL', shape: [3], data_offsets: [38, 41] },
      },
      [...f64, ...f16, ...bf16, ...i64, ...u8, ...bool],
    );
    const { tensors, metadata, notes } = loadSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt' });
    expect(Array.from(tensors.d.dataSync())).toEqual([1.5, -2.25]);
    expect(Array.from(tensors.h.dataSync())).toEqual([1, -2, Number.POSITIVE_INFINITY, 2 ** -24]);
    expect(Array.from(tensors.g.dataSync())).toEqual([1, 3.140625]);
    expect(tensors.l.dtype).toBe('int32');
    expect(Array.from(tensors.l.dataSync())).toEqual([-5]);
    expect(Array.from(tensors.u.dataSync())).toEqual([0, 255]);
    expect(tensors.m.dtype).toBe('bool');
    expect(Array.from(tensors.m.dataSync())).toEqual([1, 0, 1]);
    expect(notes).toEqual([
      'd: F64 read as float32',
      'h: F16 read as float32',
      'g: BF16 read as float32',
      'l: I64 read as int32',
      'u: U8 read as int32',
    ]);
    tf.dispose(Object.values(tensors));
    const big = file({ l: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, [0, 0, 0, 0, 1, 0, 0, 0]);
    expect(failure(big)).toBe('tensor "l" element 0: value 4294967296 does not fit in int32');
  });

  it('reports every truncation of a file as truncated, and makes no tensor', () => {
    const before = tf.memory().numTensors;
    for (let n = 0; n < reference.length; n++) {
      expect(failure(reference.subarray(0, n)), `first ${n} bytes`).toMatch(/^truncated file: /);
    }
    expect(failure(reference.subarray(0, 5))).toBe(
      'truncated file: 5 bytes, fewer than the 8-byte header length',
    );
    expect(failure(reference.subarray(0, 50))).toBe(
      'truncated file: the header length is 110 bytes but only 42 follow the length prefix',
    );
    expect(failure(reference.subarray(0, 126))).toBe(
      'truncated file: tensor "b" ends at data byte 12 but the data holds 8 bytes',
    );
    const huge = reference.slice();
    huge[5] = 1; // header length 2^40 + 110
    expect(failure(huge)).toMatch(/^truncated file: the header length is 1099511627886 bytes/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a corrupt header with a message naming the problem', () => {
    const f32 = (offsets: number[], shape = [1]) => ({ dtype: 'F32', shape, data_offsets: offsets });
    const four = [0, 0, 0x80, 0x3f];
    expect(failure(file('{"a": {"dtype": "F32",', four))).toMatch(/^header is not valid UTF-8 JSON: /);
    const badUtf8 = file('{"a":1}');
    badUtf8[10] = 0xff;
    expect(failure(badUtf8)).toMatch(/^header is not valid UTF-8 JSON: /);
    expect(failure(file('[1, 2]'))).toBe('header: expected a JSON object, found [1, 2]');
    expect(failure(file({ a: 3 }))).toBe(
      'tensor "a": expected an object with dtype, shape and data_offsets, found 3',
    );
    expect(failure(file({ a: { dtype: 'Q4', shape: [1], data_offsets: [0, 4] } }, four))).toMatch(
      /^tensor "a": dtype: expected one of F32, I32, .*, found "Q4"$/,
    );
    expect(failure(file({ a: f32([0, 4], [-1]) }, four))).toBe(
      'tensor "a": shape: expected an array of non-negative integers, found [-1]',
    );
    expect(failure(file({ a: f32([4, 0]) }, four))).toBe(
      'tensor "a": data_offsets: expected [begin, end] with 0 <= begin <= end, found [4, 0]',
    );
    expect(failure(file({ a: f32([0, 8], [3]) }, [...four, ...four]))).toBe(
      'tensor "a": data_offsets [0, 8] hold 8 bytes, but shape [3] of F32 needs 12',
    );
    expect(failure(file({ a: f32([0, 4]), b: f32([8, 12]) }, [...four, ...four, ...four]))).toBe(
      'data bytes [4, 8) before tensor "b" belong to no tensor',
    );
    expect(failure(file({ a: f32([0, 8], [2]), b: f32([4, 8]) }, [...four, ...four]))).toBe(
      'tensor "b" [4, 8] overlaps tensor "a"',
    );
    expect(failure(file({ a: f32([0, 4]) }, [...four, 1, 2]))).toBe(
      'data bytes [4, 6) after the last tensor belong to no tensor',
    );
    expect(failure(file({ __metadata__: { epochs: 3 } }))).toBe(
      '__metadata__.epochs: expected a string, found 3',
    );
    expect(failure(new Array(8) as unknown as Uint8Array)).toMatch(/^bytes: expected a Uint8Array/);
  });
});

describe('saveSafetensors', () => {
  it('writes the layout of the format: length, padded JSON header, little-endian data', async () => {
    const a = tf.tensor1d([1, -2.5]);
    const b = tf.tensor2d([[-2]], [1, 1], 'int32');
    const bytes = await saveSafetensors({ a, b }, { format: 'pt' });
    const view = new DataView(bytes.buffer);
    const n = view.getUint32(0, true);
    expect(view.getUint32(4, true)).toBe(0);
    expect((8 + n) % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(header.trimEnd()).toBe(
      '{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
        '"b":{"dtype":"I32","shape":[1,1],"data_offsets":[8,12]}}',
    );
    expect(/^ *$/.test(header.slice(header.trimEnd().length))).toBe(true);
    expect(Array.from(bytes.subarray(8 + n))).toEqual(Array.from(reference.subarray(8 + 110)));
    tf.dispose([a, b]);
  });

  it('round-trips bit for bit, special floats, empty and scalar tensors included', async () => {
    const special = new Float32Array([
      0,
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      1e-45,
      3.4028234e38,
      Math.PI,
    ]);
    const source: Record<string, tf.Tensor> = {
      special: tf.tensor(special, [2, 4]),
      ints: tf.tensor1d([-2147483648, 2147483647, 0, -1], 'int32'),
      flags: tf.tensor1d([true, false, true], 'bool'),
      scalar: tf.scalar(-7.25),
      empty: tf.zeros([0, 3]),
      random: tf.randomNormal([17, 5], 0, 1, 'float32', 1),
    };
    const bytes = await saveSafetensors(source, { note: 'round trip' });
    const { tensors, metadata, notes } = loadSafetensors(bytes);
    expect(metadata).toEqual({ note: 'round trip' });
    expect(notes).toEqual([]);
    expect(Object.keys(tensors)).toEqual(Object.keys(source));
    for (const [name, t] of Object.entries(source)) {
      expect(tensors[name].dtype, name).toBe(t.dtype);
      expect(tensors[name].shape, name).toEqual(t.shape);
      expect(bytesOf(tensors[name]), name).toEqual(bytesOf(t));
    }
    // Saving what was loaded gives the same file.
    expect(Array.from(await saveSafetensors(tensors, metadata))).toEqual(Array.from(bytes));
    tf.dispose([...Object.values(source), ...Object.values(tensors)]);
  });

  it('carries a state dict into a fresh model that computes the same outputs', async () => {
    const make = () => new Sequential([new Linear(1, 2), new Softplus(), new Linear(2, 1)]);
    const model = make();
    const dict = model.stateDict();
    const bytes = await saveSafetensors(dict);
    tf.dispose(Object.values(dict));
    const copy = make();
    const { tensors } = loadSafetensors(bytes);
    copy.loadStateDict(tensors);
    tf.dispose(Object.values(tensors));
    const x = tf.tensor2d([[0], [0.5], [1]]);
    expect(Array.from(copy.forward(x).dataSync())).toEqual(Array.from(model.forward(x).dataSync()));
    tf.dispose(x);
    model.dispose();
    copy.dispose();
  });

  it('rejects what it cannot write', async () => {
    const t = tf.ones([2]);
    const gone = tf.ones([2]);
    gone.dispose();
    const text = tf.tensor1d(['a'], 'string');
    await expect(saveSafetensors({ __metadata__: t })).rejects.toThrow(
      'tensor name: "__metadata__" is reserved or empty',
    );
    await expect(saveSafetensors({ gone })).rejects.toThrow('tensor "gone": is disposed');
    await expect(saveSafetensors({ text })).rejects.toThrow(
      'tensor "text": dtype: expected float32, int32 or bool, found string',
    );
    await expect(saveSafetensors({ t }, { epochs: 3 as unknown as string })).rejects.toThrow(
      'metadata.epochs: expected a string, found 3',
    );
    await expect(saveSafetensors({ t: [1] as unknown as tf.Tensor })).rejects.toThrow(SafetensorsError);
    tf.dispose([t, text]);
  });
});
