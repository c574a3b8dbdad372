// The safetensors layout shared by the reader and the writer: dtype names, sizes and decoders.

/** Bad safetensors bytes or an unsupported tensor; the message says what and where. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

export type Read = (view: DataView, offset: number) => number;

export interface DtypeInfo {
  size: number;
  dtype: 'float32' | 'int32' | 'bool';
  read: Read;
  /** Set when the values change type on the way in (the load reports it in `notes`). */
  converted?: true;
}

const scratch = new DataView(new ArrayBuffer(4));

/** bfloat16 is the top half of a float32. */
function bfloat16(bits: number): number {
  scratch.setUint32(0, bits << 16);
  return scratch.getFloat32(0);
}

function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function int32Range(value: number | bigint): number {
  const n = Number(value);
  if (n < -2147483648 || n > 2147483647) throw new RangeError(`value ${value} does not fit in int32`);
  return n;
}

/** A float64 that float32 would turn into ±Infinity or 0 is an error, not a silent change of value. */
function float32Range(value: number): number {
  const float = Math.fround(value);
  if (Number.isFinite(value) && (!Number.isFinite(float) || (float === 0 && value !== 0))) {
    throw new RangeError(
      `value ${value} is outside float32's range (${FLOAT32_MIN_SUBNORMAL} to ${FLOAT32_MAX})`,
    );
  }
  return value;
}

export const dtypes: Record<string, DtypeInfo> = {
  F32: { size: 4, dtype: 'float32', read: (v, o) => v.getFloat32(o, true) },
  I32: { size: 4, dtype: 'int32', read: (v, o) => v.getInt32(o, true) },
  BOOL: { size: 1, dtype: 'bool', read: (v, o) => (v.getUint8(o) ? 1 : 0) },
  F64: { size: 8, dtype: 'float32', read: (v, o) => float32Range(v.getFloat64(o, true)), converted: true },
  F16: { size: 2, dtype: 'float32', read: (v, o) => half(v.getUint16(o, true)), converted: true },
  BF16: { size: 2, dtype: 'float32', read: (v, o) => bfloat16(v.getUint16(o, true)), converted: true },
  I64: { size: 8, dtype: 'int32', read: (v, o) => int32Range(v.getBigInt64(o, true)), converted: true },
  U32: { size: 4, dtype: 'int32', read: (v, o) => int32Range(v.getUint32(o, true)), converted: true },
  I16: { size: 2, dtype: 'int32', read: (v, o) => v.getInt16(o, true), converted: true },
  U16: { size: 2, dtype: 'int32', read: (v, o) => v.getUint16(o, true), converted: true },
  I8: { size: 1, dtype: 'int32', read: (v, o) => v.getInt8(o), converted: true },
  U8: { size: 1, dtype: 'int32', read: (v, o) => v.getUint8(o), converted: true },
};

export const writable: Record<string, string> = { float32: 'F32', int32: 'I32', bool: 'BOOL' };
export const littleEndianHost = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * What `loadSafetensors` accepts before it allocates anything; raise a figure through its
 * `limits` option. The defaults hold any model this project trains with room to spare: a model of
 * 250 million float32 weights fits in 1 GiB, and its header (about 100 bytes a tensor) in far less
 * than 16 MiB.
 */
export interface SafetensorsLimits {
  /** The whole file, in bytes (default 1 GiB). */
  maxBytes: number;
  /** The JSON header, in bytes (default 16 MiB). */
  maxHeaderBytes: number;
  /** One tensor's element count, the product of its shape (default 2^28, 1 GiB of float32). */
  maxTensorElements: number;
}

/** The default size limits for reading safetensors: 1 GiB in all, a 16 MiB header, 2^28 elements per tensor. */
export const DEFAULT_SAFETENSORS_LIMITS: Readonly<SafetensorsLimits> = Object.freeze({
  maxBytes: 2 ** 30,
  maxHeaderBytes: 16 * 2 ** 20,
  maxTensorElements: 2 ** 28,
});

/** PyTorch's own bound on a tensor's rank; deeper shapes are corrupt headers, not models. */
export const MAX_RANK = 64;
/** A header is an object of objects of arrays: anything nested deeper is not a safetensors header. */
export const MAX_HEADER_DEPTH = 8;

/** float32's largest finite magnitude and smallest non-zero one (a subnormal). */
export const FLOAT32_MAX = 3.4028234663852886e38;
export const FLOAT32_MIN_SUBNORMAL = 2 ** -149;
