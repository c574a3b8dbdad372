import { checkOptions, describe, tf } from '@descent/tensor';
import { jsonDepth } from './json-depth';
import {
  DEFAULT_SAFETENSORS_LIMITS,
  dtypes,
  littleEndianHost,
  MAX_HEADER_DEPTH,
  MAX_RANK,
  SafetensorsError,
  type SafetensorsLimits,
} from './safetensors-format';

/** Options of `loadSafetensors`: a name for errors and the size limits. */
export interface LoadSafetensorsOptions {
  /** Names the bytes in errors, e.g. the file they were read from. */
  source?: string;
  /** Raise (or lower) the figures checked before anything is allocated. */
  limits?: Partial<SafetensorsLimits>;
}

/** What `loadSafetensors` read: the tensors by name, the file's metadata and conversion notes. */
export interface LoadedSafetensors {
  /** A null-prototype record, so that a tensor may be named `__proto__` like any other. */
  tensors: Record<string, tf.Tensor>;
  metadata: Record<string, string>;
  /** One line per tensor whose dtype tfjs lacks and was converted, e.g. `w: F64 read as float32`. */
  notes: string[];
}

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function parseEntry(name: string, raw: unknown, maxElements: number): Entry {
  const where = `tensor "${name}"`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SafetensorsError(
      `${where}: expected an object with dtype, shape and data_offsets, found ${describe(raw)}`,
    );
  }
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in dtypes)) {
    throw new SafetensorsError(
      `${where}: dtype: expected one of ${Object.keys(dtypes).join(', ')}, found ${describe(dtype)}`,
    );
  }
  if (Array.isArray(shape) && shape.length > MAX_RANK) {
    throw new SafetensorsError(
      `${where}: shape: expected at most ${MAX_RANK} dimensions, found ${shape.length}`,
    );
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw new SafetensorsError(
      `${where}: shape: expected an array of non-negative integers, found ${describe(shape)}`,
    );
  }
  // Every dimension counts, even beside a zero, so that no shape reaches tfjs's arithmetic unbounded.
  let elements = 1;
  for (const d of shape as number[]) elements *= Math.max(d, 1);
  if (elements > maxElements) {
    throw new SafetensorsError(
      `${where}: shape [${shape.join(', ')}] holds ${elements} elements, above the limit of ${maxElements} (limits.maxTensorElements)`,
    );
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    throw new SafetensorsError(
      `${where}: data_offsets: expected [begin, end] with 0 <= begin <= end, found ${describe(offsets)}`,
    );
  }
  const [begin, end] = offsets as number[];
  const needed = shape.reduce((a: number, b: number) => a * b, 1) * dtypes[dtype].size;
  if (end - begin !== needed) {
    throw new SafetensorsError(
      `${where}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but shape [${shape.join(', ')}] of ${dtype} needs ${needed}`,
    );
  }
  return { name, dtype, shape, begin, end };
}

/** Reads the header: its length, its JSON, and every tensor's entry (not yet checked against the data). */
function parseHeader(
  bytes: Uint8Array,
  limits: SafetensorsLimits,
): {
  entries: Entry[];
  metadata: Record<string, string>;
  dataStart: number;
} {
  if (!(bytes instanceof Uint8Array))
    throw new SafetensorsError(`bytes: expected a Uint8Array, found ${describe(bytes)}`);
  if (bytes.length > limits.maxBytes) {
    throw new SafetensorsError(
      `${bytes.length} bytes, above the limit of ${limits.maxBytes} (limits.maxBytes)`,
    );
  }
  if (bytes.length < 8) {
    throw new SafetensorsError(`truncated file: ${bytes.length} bytes, fewer than the 8-byte header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerLength > bytes.length - 8) {
    throw new SafetensorsError(
      `truncated file: the header length is ${headerLength} bytes but only ${bytes.length - 8} follow the length prefix`,
    );
  }
  if (headerLength > limits.maxHeaderBytes) {
    throw new SafetensorsError(
      `header length ${headerLength} bytes is above the limit of ${limits.maxHeaderBytes} (limits.maxHeaderBytes)`,
    );
  }
  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
    const depth = jsonDepth(text);
    if (depth > MAX_HEADER_DEPTH) {
      throw new SafetensorsError(
        `header: nested ${depth} deep, expected at most ${MAX_HEADER_DEPTH} (tensor entries hold one level of arrays)`,
      );
    }
    header = JSON.parse(text);
  } catch (err) {
    if (err instanceof SafetensorsError) throw err;
    throw new SafetensorsError(
      `header is not valid UTF-8 JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new SafetensorsError(`header: expected a JSON object, found ${describe(header)}`);
  }
  const metadata: Record<string, string> = Object.create(null);
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name !== '__metadata__') {
      entries.push(parseEntry(name, raw, limits.maxTensorElements));
      continue;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new SafetensorsError(`__metadata__: expected an object of strings, found ${describe(raw)}`);
    }
    for (const [key, value] of Object.entries(raw)) {
      if (typeof value !== 'string')
        throw new SafetensorsError(`__metadata__.${key}: expected a string, found ${describe(value)}`);
      metadata[key] = value;
    }
  }
  return { entries, metadata, dataStart: 8 + headerLength };
}

/** The data must be covered exactly: tensors back to back from offset 0, no gap, no overlap, nothing after. */
function checkLayout(entries: Entry[], dataLength: number): void {
  for (const e of entries) {
    if (e.end > dataLength) {
      throw new SafetensorsError(
        `truncated file: tensor "${e.name}" ends at data byte ${e.end} but the data holds ${dataLength} bytes`,
      );
    }
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: Entry | undefined;
  for (const e of sorted) {
    if (e.begin < cursor) {
      throw new SafetensorsError(
        `tensor "${e.name}" [${e.begin}, ${e.end}] overlaps tensor "${previous?.name}"`,
      );
    }
    if (e.begin > cursor) {
      throw new SafetensorsError(
        `data bytes [${cursor}, ${e.begin}) before tensor "${e.name}" belong to no tensor`,
      );
    }
    cursor = e.end;
    previous = e;
  }
  if (cursor !== dataLength) {
    throw new SafetensorsError(
      `data bytes [${cursor}, ${dataLength}) after the last tensor belong to no tensor`,
    );
  }
}

/**
 * Parses safetensors bytes into tfjs tensors (the caller disposes them). F32, I32 and BOOL load as
 * they are; F64, F16 and BF16 become float32 and the integer types int32, each listed in `notes`.
 * Every check runs before any tensor is made, so a bad file leaves nothing behind.
 */
export function loadSafetensors(bytes: Uint8Array, options?: LoadSafetensorsOptions): LoadedSafetensors {
  const { source, limits } = checkOptions<LoadSafetensorsOptions>('loadSafetensors', options, [
    'source',
    'limits',
  ]);
  try {
    return decode(bytes, { ...DEFAULT_SAFETENSORS_LIMITS, ...checkLimits(limits) });
  } catch (err) {
    if (err instanceof SafetensorsError && source !== undefined) {
      throw new SafetensorsError(`${source}: ${err.message}`);
    }
    throw err;
  }
}

function checkLimits(limits: unknown): Partial<SafetensorsLimits> {
  const known = Object.keys(DEFAULT_SAFETENSORS_LIMITS);
  const given = checkOptions<Record<string, unknown>>('loadSafetensors: limits', limits, known);
  for (const [key, value] of Object.entries(given)) {
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && !Number.isNaN(value))) {
      throw new SafetensorsError(
        `loadSafetensors: limits.${key}: expected a non-negative number, found ${describe(value)}`,
      );
    }
  }
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
}

function decode(bytes: Uint8Array, limits: SafetensorsLimits): LoadedSafetensors {
  const { entries, metadata, dataStart } = parseHeader(bytes, limits);
  checkLayout(entries, bytes.length - dataStart);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoded = entries.map((e) => {
    const info = dtypes[e.dtype];
    const start = dataStart + e.begin;
    const count = (e.end - e.begin) / info.size;
    // The common case is one copy, which also realigns data at an odd offset. Uint8Array's own
    // slice copies; a Node Buffer's slice() would share the pooled memory instead.
    if (e.dtype === 'F32' && littleEndianHost) {
      const copy = Uint8Array.prototype.slice.call(bytes, start, start + count * 4);
      return { e, info, values: new Float32Array(copy.buffer) };
    }
    const values =
      info.dtype === 'float32'
        ? new Float32Array(count)
        : info.dtype === 'bool'
          ? new Uint8Array(count)
          : new Int32Array(count);
    for (let i = 0; i < count; i++) {
      try {
        values[i] = info.read(view, start + i * info.size);
      } catch (err) {
        throw new SafetensorsError(
          `tensor "${e.name}" element ${i}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    return { e, info, values };
  });
  const tensors: Record<string, tf.Tensor> = Object.create(null);
  const notes: string[] = [];
  try {
    for (const { e, info, values } of decoded) {
      tensors[e.name] = tf.tensor(values, e.shape, info.dtype);
      if (info.converted) notes.push(`${e.name}: ${e.dtype} read as ${info.dtype}`);
    }
  } catch (err) {
    tf.dispose(Object.values(tensors));
    throw err;
  }
  return { tensors, metadata, notes };
}
