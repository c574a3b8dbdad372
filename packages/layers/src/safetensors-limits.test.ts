import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { jsonDepth } from './json-depth';
import { type LoadSafetensorsOptions, loadSafetensors } from './load-safetensors';
import { DEFAULT_SAFETENSORS_LIMITS, SafetensorsError } from './safetensors-format';
import { saveSafetensors } from './save-safetensors';

/** A file from a header object and raw data bytes. */
function file(header: object | string, data: Uint8Array = new Uint8Array()): Uint8Array {
  const text = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setUint32(0, text.length, true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

function f64(values: number[]): Uint8Array {
  return new Uint8Array(new Float64Array(values).buffer);
}

function failure(bytes: Uint8Array, options?: LoadSafetensorsOptions): string {
  const before = tf.memory().numTensors;
  try {
    loadSafetensors(bytes, options);
  } catch (err) {
    expect(err).toBeInstanceOf(SafetensorsError);
    expect(tf.memory().numTensors).toBe(before);
    return (err as Error).message;
  }
  throw new Error('expected loadSafetensors to fail');
}

describe('loadSafetensors limits and checks', () => {
  it('names the source in every error when given one', () => {
    expect(failure(new Uint8Array(3), { source: 'm/model.safetensors' })).toBe(
      'm/model.safetensors: truncated file: 3 bytes, fewer than the 8-byte header length',
    );
    expect(failure(file('[1]'), { source: 'w.safetensors' })).toBe(
      'w.safetensors: header: expected a JSON object, found [1]',
    );
  });

  it('checks the file size, the header size and element counts against the limits before allocating', () => {
    const four = new Uint8Array(16);
    const bytes = file({ w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] } }, four);
    expect(failure(bytes, { source: 'f', limits: { maxBytes: 40 } })).toBe(
      `f: ${bytes.length} bytes, above the limit of 40 (limits.maxBytes)`,
    );
    expect(failure(bytes, { limits: { maxHeaderBytes: 10 } })).toMatch(
      /^header length \d+ bytes is above the limit of 10 \(limits.maxHeaderBytes\)$/,
    );
    expect(failure(bytes, { limits: { maxTensorElements: 3 } })).toBe(
      'tensor "w": shape [2, 2] holds 4 elements, above the limit of 3 (limits.maxTensorElements)',
    );
    // A zero beside huge dimensions is no data, but the dimensions still count.
    const empty = file({ e: { dtype: 'F32', shape: [0, 2 ** 40, 2 ** 12], data_offsets: [0, 0] } });
    expect(failure(empty)).toMatch(/holds 4503599627370496 elements, above the limit of 268435456/);
    // Raised limits let the same file through.
    const { tensors } = loadSafetensors(bytes, { limits: { maxBytes: 1000, maxTensorElements: 4 } });
    expect(tensors.w.shape).toEqual([2, 2]);
    tf.dispose(Object.values(tensors));
    expect(DEFAULT_SAFETENSORS_LIMITS).toEqual({
      maxBytes: 2 ** 30,
      maxHeaderBytes: 16 * 2 ** 20,
      maxTensorElements: 2 ** 28,
    });
  });

  it('refuses a header nested too deep or a shape of too many dimensions, without a stack overflow', () => {
    const deep = `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect(failure(file(deep))).toBe(
      'header: nested 5001 deep, expected at most 8 (tensor entries hold one level of arrays)',
    );
    const rank = file({ r: { dtype: 'F32', shape: new Array(65).fill(1), data_offsets: [0, 4] } });
    expect(failure(rank)).toBe('tensor "r": shape: expected at most 64 dimensions, found 65');
  });

  it('rejects unknown options and bad limits', () => {
    const bytes = file({});
    expect(() => loadSafetensors(bytes, { source: 'x', max: 3 } as never)).toThrow(
      /loadSafetensors: options: expected keys among "source", "limits", found unknown option "max"/,
    );
    expect(() => loadSafetensors(bytes, { limits: { maxBytes: -1 } })).toThrow(
      'loadSafetensors: limits.maxBytes: expected a non-negative number, found -1',
    );
    expect(() => loadSafetensors(bytes, { limits: { maxbytes: 1 } as never })).toThrow(
      /unknown option "maxbytes"/,
    );
  });

  it('refuses float64 weights that float32 would turn into infinity or zero, naming the tensor', () => {
    const header = (n: number) => ({ w: { dtype: 'F64', shape: [n], data_offsets: [0, 8 * n] } });
    expect(failure(file(header(2), f64([1, 1e300])), { source: 'big.safetensors' })).toBe(
      `big.safetensors: tensor "w" element 1: value 1e+300 is outside float32's range (${2 ** -149} to 3.4028234663852886e+38)`,
    );
    expect(failure(file(header(1), f64([-1e-60])))).toMatch(/^tensor "w" element 0: value -1e-60 is outside/);
    // Infinity, NaN, zero and the extremes float32 can hold pass as they are.
    const fine = [Number.POSITIVE_INFINITY, Number.NaN, 0, -0, 3.4028234663852886e38, 2 ** -149];
    const { tensors } = loadSafetensors(file(header(fine.length), f64(fine)));
    expect(Array.from(tensors.w.dataSync())).toEqual(fine.map(Math.fround));
    tf.dispose(Object.values(tensors));
  });

  it('keeps a tensor named __proto__ (and such metadata) as an own entry that is disposed', async () => {
    const before = tf.memory().numTensors;
    const t = tf.tensor([1, 2]);
    const named = Object.create(null) as Record<string, tf.Tensor>;
    // biome-ignore lint/suspicious/noProto: a tensor of that name is what this test is about
    named['__proto__'] = t;
    named['constructor'] = t;
    const bytes = await saveSafetensors(named, JSON.parse('{"__proto__": "m"}'));
    t.dispose();
    const { tensors, metadata } = loadSafetensors(bytes);
    expect(Object.keys(tensors)).toEqual(['__proto__', 'constructor']);
    // biome-ignore lint/suspicious/noProto: a tensor of that name is what this test is about
    expect(Array.from(tensors['__proto__'].dataSync())).toEqual([1, 2]);
    expect(Object.keys(metadata)).toEqual(['__proto__']);
    tf.dispose(Object.values(tensors));
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('jsonDepth', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonDepth('{"a":"[[[[\\"[[["}')).toBe(1);
    expect(jsonDepth('['.repeat(100000))).toBe(100000);
  });
});
