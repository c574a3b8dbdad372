import { describe, tf } from '@descent/tensor';
import { dtypes, littleEndianHost, SafetensorsError, writable } from './safetensors-format';

/**
 * Serialises tensors to safetensors bytes: an 8-byte little-endian header length, a JSON header
 * (dtype, shape, data_offsets per tensor, optional `__metadata__` of strings) padded with spaces to
 * 8 bytes, then each tensor's raw little-endian data back to back, in the record's order.
 */
export async function saveSafetensors(
  tensors: Record<string, tf.Tensor>,
  metadata?: Record<string, string>,
): Promise<Uint8Array> {
  if (tensors === null || typeof tensors !== 'object' || Array.isArray(tensors)) {
    throw new SafetensorsError(`tensors: expected an object of named tensors, found ${describe(tensors)}`);
  }
  // Null-prototype, so that a tensor named `__proto__` is written like any other name.
  const header: Record<string, unknown> = Object.create(null);
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
      throw new SafetensorsError(`metadata: expected an object of strings, found ${describe(metadata)}`);
    }
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') {
        throw new SafetensorsError(`metadata.${key}: expected a string, found ${describe(value)}`);
      }
    }
    header['__metadata__'] = { ...metadata };
  }
  const entries = Object.entries(tensors);
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '' || name === '__metadata__')
      throw new SafetensorsError(`tensor name: ${describe(name)} is reserved or empty`);
    if (!(t instanceof tf.Tensor))
      throw new SafetensorsError(`tensor "${name}": expected a tensor, found ${describe(t)}`);
    if (t.isDisposed) throw new SafetensorsError(`tensor "${name}": is disposed`);
    const dtype = writable[t.dtype];
    if (!dtype)
      throw new SafetensorsError(
        `tensor "${name}": dtype: expected float32, int32 or bool, found ${t.dtype}`,
      );
    const end = offset + t.size * dtypes[dtype].size;
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, end] };
    offset = end;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const spaced = new Uint8Array(padded).fill(0x20);
    spaced.set(json);
    json = spaced;
  }
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, Math.floor(padded / 2 ** 32), true);
  out.set(json, 8);
  let at = 8 + padded;
  for (const [, t] of entries) {
    const data = await t.data();
    if (t.dtype === 'bool' || littleEndianHost) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
      at += data.byteLength;
    } else {
      for (const value of data as Float32Array | Int32Array) {
        if (t.dtype === 'float32') view.setFloat32(at, value, true);
        else view.setInt32(at, value, true);
        at += 4;
      }
    }
  }
  return out;
}
