import { argumentError } from '../errors';

/**
 * The IDX format of MNIST and Fashion-MNIST: two zero bytes, a type code, the number of
 * dimensions, each dimension as a big-endian uint32, then the values row-major, big-endian.
 */
export const IDX_TYPES = {
  8: 'uint8',
  9: 'int8',
  11: 'int16',
  12: 'int32',
  13: 'float32',
  14: 'float64',
} as const;

/** The element type an IDX file declares ('uint8', 'int8', 'int16', 'int32', 'float32' or 'float64'). */
export type IdxType = (typeof IDX_TYPES)[keyof typeof IDX_TYPES];

const arrays = {
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/** The typed array that holds an IDX file's values, by its element type. */
export type IdxValues = InstanceType<(typeof arrays)[IdxType]>;

/** A decoded IDX file: its element type, shape and values, row-major. */
export interface IdxArray {
  type: IdxType;
  shape: number[];
  data: IdxValues;
}

/** Raised for bytes that are not a whole, valid IDX file; the message names the file. */
export class IdxFormatError extends Error {
  override name = 'IdxFormatError';
}

function bad(file: string, problem: string): IdxFormatError {
  return new IdxFormatError(`${file} is not a valid IDX file: ${problem}`);
}

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ') || 'nothing';

/** Decodes uncompressed IDX bytes; `file` only names the source in error messages. */
export function decodeIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) throw bad(file, `expected a 4-byte magic number, found ${bytes.length} bytes`);
  const type = IDX_TYPES[bytes[2] as keyof typeof IDX_TYPES];
  if (bytes[0] !== 0 || bytes[1] !== 0 || type === undefined) {
    throw bad(
      file,
      `expected a magic number 00 00 <type 08/09/0b/0c/0d/0e> <dims>, found ${hex(bytes.subarray(0, 4))}`,
    );
  }
  const rank = bytes[3];
  if (rank === 0) throw bad(file, 'expected at least 1 dimension, found 0');
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw bad(
      file,
      `expected a ${headerBytes}-byte header for ${rank} dimensions, found ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const Values = arrays[type];
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * Values.BYTES_PER_ELEMENT;
  if (bytes.length !== expected) {
    const why = bytes.length < expected ? 'truncated' : 'trailing bytes';
    throw bad(
      file,
      `expected ${expected} bytes for shape [${shape.join(', ')}] of ${type}, found ${bytes.length} (${why})`,
    );
  }
  const data = new Values(count);
  if (type === 'uint8') {
    // Copies into a plain Uint8Array: the input may be a Node Buffer, whose slice() is a view.
    data.set(bytes.subarray(headerBytes));
  } else {
    const read = readers[type];
    const step = Values.BYTES_PER_ELEMENT;
    for (let i = 0; i < count; i++) data[i] = read(view, headerBytes + i * step);
  }
  return { type, shape, data };
}

const readers: Record<Exclude<IdxType, 'uint8'>, (view: DataView, at: number) => number> = {
  int8: (v, at) => v.getInt8(at),
  int16: (v, at) => v.getInt16(at, false),
  int32: (v, at) => v.getInt32(at, false),
  float32: (v, at) => v.getFloat32(at, false),
  float64: (v, at) => v.getFloat64(at, false),
};

const writers: Record<Exclude<IdxType, 'uint8'>, (view: DataView, at: number, value: number) => void> = {
  int8: (v, at, x) => v.setInt8(at, x),
  int16: (v, at, x) => v.setInt16(at, x, false),
  int32: (v, at, x) => v.setInt32(at, x, false),
  float32: (v, at, x) => v.setFloat32(at, x, false),
  float64: (v, at, x) => v.setFloat64(at, x, false),
};

/** The inverse of decodeIdx: for tests, and for saving image sets others can read. */
export function encodeIdx(array: IdxArray): Uint8Array {
  const { type, shape, data } = array;
  const code = Object.entries(IDX_TYPES).find(([, name]) => name === type)?.[0];
  if (code === undefined)
    throw argumentError('array.type', `one of ${Object.values(IDX_TYPES).join(', ')}`, type);
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > 255) {
    throw argumentError('array.shape', 'an array of 1 to 255 dimensions', shape);
  }
  for (const [i, d] of shape.entries()) {
    if (!Number.isSafeInteger(d) || d < 0 || d > 0xffffffff) {
      throw argumentError(`array.shape[${i}]`, 'an integer in 0..2^32-1', d);
    }
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (!(data instanceof arrays[type]) || data.length !== count) {
    throw argumentError('array.data', `a ${arrays[type].name} of length ${count}`, data);
  }
  const headerBytes = 4 + 4 * shape.length;
  const out = new Uint8Array(headerBytes + count * data.BYTES_PER_ELEMENT);
  const view = new DataView(out.buffer);
  out[2] = Number(code);
  out[3] = shape.length;
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  if (type === 'uint8') out.set(data as Uint8Array, headerBytes);
  else {
    const write = writers[type];
    for (let i = 0; i < count; i++) write(view, headerBytes + i * data.BYTES_PER_ELEMENT, data[i]);
  }
  return out;
}
