import { argumentError } from '../errors';
import { checkOptions } from '../validate';
import { isNode } from './gunzip';
import { DEFAULT_MAX_IDX_BYTES } from './idx-dataset';
import { decodeMnist, type MnistData, MnistFormatError } from './mnist-format';
import {
  type ByteSource,
  fetchBytes,
  gunzipIfNeeded,
  moduleUrl,
  type ReadBytes,
  readSource,
} from './read-source';

/** Bytes of a digits file (gzipped or not), or where to read one: a URL, or a path in Node. */
export type MnistSource = ByteSource;

/** Options of `loadMnist`: where to read the digits from. */
export interface LoadMnistOptions {
  /** Default: the file shipped in this package's data/ folder. */
  source?: MnistSource;
}

const FILE_NAME = 'mnist-10k.u8.gz';

/**
 * The shipped file lives at <package>/data/. Built code sits in dist/ (one level down) and the
 * sources in src/images/ (two levels), so both are tried.
 */
async function shippedFile(): Promise<ReadBytes> {
  const base = await moduleUrl('loadMnist');
  if (!isNode()) return fetchBytes(new URL(`../data/${FILE_NAME}`, base), 'loadMnist');
  const { access, readFile } = await import('node:fs/promises');
  const { fileURLToPath } = await import('node:url');
  const candidates = [`../data/${FILE_NAME}`, `../../data/${FILE_NAME}`].map((p) =>
    fileURLToPath(new URL(p, base)),
  );
  for (const path of candidates) {
    try {
      await access(path);
    } catch {
      continue;
    }
    return { bytes: await readFile(path), name: path };
  }
  throw new Error(`loadMnist: cannot find the shipped digits file; looked for ${candidates.join(' and ')}`);
}

async function decode(bytes: Uint8Array, name: string): Promise<MnistData> {
  const raw = await gunzipIfNeeded(
    bytes,
    (problem, cause) =>
      new MnistFormatError(`loadMnist: ${name} is not a valid MNIST digits file: ${problem}`, { cause }),
    DEFAULT_MAX_IDX_BYTES,
  );
  return decodeMnist(raw, name);
}

// One decode per process for each source: the shipped file, each path or URL, each byte array.
let shipped: Promise<MnistData> | undefined;
const byName = new Map<string, Promise<MnistData>>();
const byBytes = new WeakMap<object, Promise<MnistData>>();

function remember(load: () => Promise<MnistData>, store: (p: Promise<MnistData> | undefined) => void) {
  const promise = load();
  store(promise);
  // A failed load is forgotten, so that a retry after fixing the file reads it again.
  promise.catch(() => store(undefined));
  return promise;
}

/**
 * Loads the 10,000 MNIST digits (28 x 28 bytes, 0 = background) with their labels, in file order
 * (grouped by digit: all 0s, then all 1s, ...). The result is decoded once per source and
 * shared between calls: treat its arrays as read-only.
 */
export function loadMnist(options: LoadMnistOptions = {}): Promise<MnistData> {
  try {
    checkOptions('options', options, '{ source: new URL("https://example.org/mnist-10k.u8.gz") }');
  } catch (error) {
    return Promise.reject(error);
  }
  const source = options.source;
  if (source === undefined) {
    return (
      shipped ??
      remember(
        () => shippedFile().then(({ bytes, name }) => decode(bytes, name)),
        (p) => {
          shipped = p;
        },
      )
    );
  }
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    const cached = byBytes.get(source);
    if (cached) return cached;
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    return remember(
      () => decode(bytes, `the given ${source.constructor.name} (${bytes.length} bytes)`),
      (p) => (p ? byBytes.set(source, p) : byBytes.delete(source)),
    );
  }
  if (typeof source === 'string' || source instanceof URL) {
    const key = typeof source === 'string' ? source : source.href;
    const cached = byName.get(key);
    if (cached) return cached;
    return remember(
      () => readSource(source, 'loadMnist').then(({ bytes, name }) => decode(bytes, name)),
      (p) => (p ? byName.set(key, p) : byName.delete(key)),
    );
  }
  return Promise.reject(argumentError('source', 'a Uint8Array, ArrayBuffer, URL or path string', source));
}
