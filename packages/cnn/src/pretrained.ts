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
 * Where to find the backbone when the package's own files cannot be read (a browser, a bundler):
 * a folder URL holding both files, or the files' contents themselves.
 */
export type DigitBackboneSource =
  | URL
  | string
  | { config: DigitBackboneInfo | string; weights: Uint8Array | ArrayBuffer };

const isNode = typeof process !== 'undefined' && process.versions?.node != null;

/** This module's URL; tsup's CommonJS build has no import.meta, so fall back to __filename. */
async function moduleUrl(): Promise<string> {
  const url = (import.meta as { url?: string }).url;
  if (typeof url === 'string') return url;
  if (typeof __filename === 'string') return (await import('node:url')).pathToFileURL(__filename).href;
  throw new Error('pretrainedDigitBackbone: cannot locate this module to find its assets; pass `source`');
}

async function fetchBytes(url: URL): Promise<Uint8Array> {
  if (url.protocol === 'file:' && isNode) {
    const { readFile } = await import('node:fs/promises');
    const { fileURLToPath } = await import('node:url');
    const file = await readFile(fileURLToPath(url));
    // A plain view: a Node Buffer's slice() shares memory, which safetensors readers do not expect.
    return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  }
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`pretrainedDigitBackbone: cannot fetch ${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The assets folder: next to dist/ when built, next to src/ in the workspace (the same place). */
async function shippedFolder(): Promise<URL> {
  const base = await moduleUrl();
  const folder = new URL('../assets/', base);
  if (!isNode) return folder;
  const { access } = await import('node:fs/promises');
  const { fileURLToPath } = await import('node:url');
  const path = fileURLToPath(new URL(DIGIT_BACKBONE_FILES.weights, folder));
  try {
    await access(path);
  } catch {
    throw new Error(`pretrainedDigitBackbone: cannot find the shipped weights at ${path}; pass \`source\``);
  }
  return folder;
}

async function readFiles(source: DigitBackboneSource | undefined): Promise<{
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
  if (source === undefined) folder = await shippedFolder();
  else {
    const text = String(source);
    folder = new URL(
      text.endsWith('/') ? text : `${text}/`,
      isNode ? `file://${process.cwd()}/` : globalThis.location?.href,
    );
  }
  const [config, weights] = await Promise.all([
    fetchBytes(new URL(DIGIT_BACKBONE_FILES.config, folder)),
    fetchBytes(new URL(DIGIT_BACKBONE_FILES.weights, folder)),
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

/**
 * The shipped digit backbone and its facts: a small CNN trained by scripts/pretrain-backbone.mjs
 * (seeded) on MNIST digits 0–4 only, whole, head included. For transfer learning, replace its
 * last `info.headLayers` layers (replaceHead) and freeze the rest.
 */
export async function loadDigitBackbone(
  source?: DigitBackboneSource,
): Promise<{ model: Sequential; info: DigitBackboneInfo }> {
  const { info, weights, name } = await readFiles(source);
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

/** The shipped backbone as a Sequential (see loadDigitBackbone). */
export async function pretrainedDigitBackbone(source?: DigitBackboneSource): Promise<Sequential> {
  return (await loadDigitBackbone(source)).model;
}
