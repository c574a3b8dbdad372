import { fromConfig, loadSafetensors, type ModuleConfig, Sequential } from '@descent/layers';
import { argumentError, tf } from '@descent/tensor';
import { registerCnnModules } from './register';

/** The shipped backbone's two files, in this package's assets/ folder. */
export const DIGIT_BACKBONE_FILES = {
  config: 'digits-0-4-backbone.json',
  weights: 'digits-0-4-backbone.safetensors',
} as const;

/** What digits-0-4-backbone.json holds: the architecture and how it was trained. */
export interface DigitBackboneInfo {
  name: string;
  description: string;
  /** One sample's shape, NCHW: [1, 28, 28]. */
  inputShape: number[];
  /** Class k of the head is digit classes[k]. */
  classes: string[];
  architecture: ModuleConfig;
  /** How many final layers form the head (replace them for a new task). */
  headLayers: number;
  /** Width of the features the body hands to the head. */
  features: number;
  training: Record<string, unknown>;
  weights: { file: string; bytes: number; sha256: string };
}

/**
 * Where to find the backbone's two files: a folder URL (or, in Node through @descent/cnn/node, a
 * folder path) holding both, or the files' contents themselves.
 */
export type DigitBackboneSource =
  | URL
  | string
  | { config: DigitBackboneInfo | string; weights: Uint8Array | ArrayBuffer };

const isNode = typeof process !== 'undefined' && process.versions?.node != null;

/** A scheme of two or more letters, so that Windows paths like C:\models stay paths. */
const URL_LIKE = /^[a-z][a-z0-9+.-]+:/i;

/**
 * How the backbone's two files are reached: by fetch here (browser-safe), from the file system in
 * @descent/cnn/node. One loader takes either, so the checks and the model are the same.
 */
export interface BackboneReader {
  /** The folder of the shipped files. */
  shippedFolder(): Promise<URL>;
  /** What a relative folder string resolves against. */
  base(): string;
  /** The bytes at `url`. */
  read(url: URL): Promise<Uint8Array>;
}

/** Node's fetch cannot read files: say which entry can, instead of a bare "fetch failed". */
function needsNodeEntry(what: string): Error {
  return new Error(
    `pretrainedDigitBackbone: reading ${what} needs the file system: in Node, import { loadDigitBackbone, pretrainedDigitBackbone } from '@descent/cnn/node' (@descent/cnn itself fetches URLs and takes the files' contents)`,
  );
}

/** Fetches a URL; `file:` URLs are the file system's (see @descent/cnn/node). */
export async function fetchBytes(url: URL): Promise<Uint8Array> {
  if (url.protocol === 'file:' && isNode) throw needsNodeEntry(url.href);
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`pretrainedDigitBackbone: cannot fetch ${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Browser-safe: the shipped assets sit beside this module's URL, and relative folders beside the page. */
const fetchReader: BackboneReader = {
  async shippedFolder() {
    if (isNode) throw needsNodeEntry("the package's shipped assets");
    const url = (import.meta as { url?: string }).url;
    if (typeof url !== 'string') {
      throw new Error('pretrainedDigitBackbone: cannot locate this module to find its assets; pass `source`');
    }
    return new URL('../assets/', url);
  },
  base() {
    if (isNode) throw needsNodeEntry('a folder path');
    return globalThis.location?.href;
  },
  read: fetchBytes,
};

async function readFiles(
  source: DigitBackboneSource | undefined,
  reader: BackboneReader,
): Promise<{
  info: DigitBackboneInfo;
  weights: Uint8Array;
  name: string;
}> {
  if (source !== undefined && typeof source === 'object' && !(source instanceof URL)) {
    const { config, weights } = source;
    if (!(weights instanceof Uint8Array || weights instanceof ArrayBuffer)) {
      throw argumentError('pretrainedDigitBackbone: source.weights', 'a Uint8Array or ArrayBuffer', weights);
    }
    const info = typeof config === 'string' ? parseInfo(config, 'source.config') : config;
    const bytes =
      weights instanceof Uint8Array
        ? new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength)
        : new Uint8Array(weights);
    return { info, weights: bytes, name: 'source' };
  }
  let folder: URL;
  if (source === undefined) folder = await reader.shippedFolder();
  else {
    const text = String(source);
    const slashed = text.endsWith('/') ? text : `${text}/`;
    folder = URL_LIKE.test(text) ? new URL(slashed) : new URL(slashed, reader.base());
  }
  const [config, weights] = await Promise.all([
    reader.read(new URL(DIGIT_BACKBONE_FILES.config, folder)),
    reader.read(new URL(DIGIT_BACKBONE_FILES.weights, folder)),
  ]);
  const name = new URL(DIGIT_BACKBONE_FILES.config, folder).href;
  return { info: parseInfo(new TextDecoder().decode(config), name), weights, name };
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function parseInfo(text: string, name: string): DigitBackboneInfo {
  let info: DigitBackboneInfo;
  try {
    info = JSON.parse(text);
  } catch (err) {
    throw new Error(`pretrainedDigitBackbone: ${name}: not valid JSON (${(err as Error).message})`);
  }
  if (!info || typeof info !== 'object' || !info.architecture || !Array.isArray(info.classes)) {
    throw new Error(
      `pretrainedDigitBackbone: ${name}: expected { architecture, classes, ... }, found ${text.slice(0, 60)}`,
    );
  }
  return info;
}

/** The backbone from `source` (default: the shipped files) read through `reader`. */
export async function loadDigitBackboneWith(
  reader: BackboneReader,
  source?: DigitBackboneSource,
): Promise<{ model: Sequential; info: DigitBackboneInfo }> {
  const { info, weights, name } = await readFiles(source, reader);
  if (info.weights?.sha256 && (await sha256(weights)) !== info.weights.sha256) {
    throw new Error(
      `pretrainedDigitBackbone: ${name}: the weights' sha256 does not match the config's ${info.weights.sha256} (mismatched or corrupted files)`,
    );
  }
  registerCnnModules();
  const { tensors } = loadSafetensors(weights);
  try {
    const model = fromConfig(info.architecture);
    if (!(model instanceof Sequential)) {
      model.dispose();
      throw new Error(
        `pretrainedDigitBackbone: ${name}: expected a Sequential architecture, found ${info.architecture.type}`,
      );
    }
    try {
      model.loadStateDict(tensors);
    } catch (err) {
      model.dispose();
      throw err;
    }
    return { model, info };
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/**
 * The shipped digit backbone and its facts: a small CNN trained by scripts/pretrain-backbone.mjs
 * (seeded) on MNIST digits 0–4 only, whole, head included. For transfer learning, replace its
 * last `info.headLayers` layers (replaceHead) and freeze the rest. Browser-safe: `source` is a
 * folder URL (fetched; by default the package's assets/ beside this module) or the files'
 * contents. In Node, the same function from @descent/cnn/node reads the package's own files.
 */
export function loadDigitBackbone(
  source?: DigitBackboneSource,
): Promise<{ model: Sequential; info: DigitBackboneInfo }> {
  return loadDigitBackboneWith(fetchReader, source);
}

/** The shipped backbone as a Sequential (see loadDigitBackbone). */
export async function pretrainedDigitBackbone(source?: DigitBackboneSource): Promise<Sequential> {
  return (await loadDigitBackbone(source)).model;
}
