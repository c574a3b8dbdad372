import { argumentError } from '../errors';
import { checkOptions } from '../validate';
import type { ByteIo } from './byte-io';
import { DEFAULT_MAX_IDX_BYTES } from './idx-dataset';
import { decodeMnist, type MnistData, MnistFormatError } from './mnist-format';
import { type ByteSource, gunzipIfNeeded } from './read-source';

/** Bytes of a digits file (gzipped or not), or where to read one: a URL, or a path in Node. */
export type MnistSource = ByteSource;

/** Options of `loadMnist`: where to read the digits from. */
export interface LoadMnistOptions {
  /** Default: the file shipped in this package's data/ folder. */
  source?: MnistSource;
}

const FILE_NAME = 'mnist-10k.u8.gz';

async function decode(io: ByteIo, bytes: Uint8Array, name: string): Promise<MnistData> {
  const raw = await gunzipIfNeeded(
    bytes,
    io.gunzip,
    (problem, cause) =>
      new MnistFormatError(`loadMnist: ${name} is not a valid MNIST digits file: ${problem}`, { cause }),
    DEFAULT_MAX_IDX_BYTES,
  );
  return decodeMnist(raw, name);
}

// One decode per process and io for each source: the shipped file, each path or URL, each byte array.
interface Decoded {
  shipped?: Promise<MnistData>;
  byName: Map<string, Promise<MnistData>>;
  byBytes: WeakMap<object, Promise<MnistData>>;
}
const decodedBy = new WeakMap<ByteIo, Decoded>();

function remember(load: () => Promise<MnistData>, store: (p: Promise<MnistData> | undefined) => void) {
  const promise = load();
  store(promise);
  // A failed load is forgotten, so that a retry after fixing the file reads it again.
  promise.catch(() => store(undefined));
  return promise;
}

/**
 * Loads the 10,000 MNIST digits (28 x 28 bytes, 0 = background) with their labels, in file order
 * (grouped by digit: all 0s, then all 1s, ...), reading through `io`. The result is decoded once
 * per source and shared between calls: treat its arrays as read-only.
 */
export function loadMnistWith(io: ByteIo, options: LoadMnistOptions = {}): Promise<MnistData> {
  try {
    checkOptions('options', options, '{ source: new URL("https://example.org/mnist-10k.u8.gz") }');
  } catch (error) {
    return Promise.reject(error);
  }
  const source = options.source;
  let decoded = decodedBy.get(io);
  if (decoded === undefined) {
    decoded = { byName: new Map(), byBytes: new WeakMap() };
    decodedBy.set(io, decoded);
  }
  const { byName, byBytes } = decoded;
  if (source === undefined) {
    const cache = decoded;
    return (
      cache.shipped ??
      remember(
        () => io.shipped(FILE_NAME, 'loadMnist').then(({ bytes, name }) => decode(io, bytes, name)),
        (p) => {
          cache.shipped = p;
        },
      )
    );
  }
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    const cached = byBytes.get(source);
    if (cached) return cached;
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    return remember(
      () => decode(io, bytes, `the given ${source.constructor.name} (${bytes.length} bytes)`),
      (p) => (p ? byBytes.set(source, p) : byBytes.delete(source)),
    );
  }
  if (typeof source === 'string' || source instanceof URL) {
    const key = typeof source === 'string' ? source : source.href;
    const cached = byName.get(key);
    if (cached) return cached;
    return remember(
      () => io.read(source, 'loadMnist').then(({ bytes, name }) => decode(io, bytes, name)),
      (p) => (p ? byName.set(key, p) : byName.delete(key)),
    );
  }
  return Promise.reject(argumentError('source', 'a Uint8Array, ArrayBuffer, URL or path string', source));
}
