import {
  fromConfig,
  jsonDepth,
  loadSafetensors,
  type Module,
  type ModuleConfig,
  saveSafetensors,
} from '@descent/layers';
import { checkOptions, describe, tf } from '@descent/tensor';
import { version } from '../package.json';
import { type BundleLimits, bundleLimits, oversizedLayer } from './bundle-limits';
import type { OutputKind } from './output';
import { TabularPreprocessor } from './tabular-preprocessor';

export const BUNDLE_FORMAT = 'descent-bundle';
export const BUNDLE_FORMAT_VERSION = 1;
export const WEIGHTS_FILE = 'model.safetensors';

/** What a caller says about the model; the rest of model.json is filled in here. */
export interface BundleInfo {
  loss: string;
  outputKind: OutputKind;
  featureNames?: string[];
  /** One sample's shape when the model takes more than a flat row, e.g. [1, 28, 28]. */
  inputShape?: number[];
  targetName?: string;
  labelNames?: string[];
  metrics?: Record<string, number>;
  /** Fitted preprocessing (scalers, encoders) as plain JSON. */
  preprocessing?: Record<string, unknown>;
  /** Anything else the application wants to keep beside the model. */
  extra?: Record<string, unknown>;
}

export interface BundleManifest extends BundleInfo {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  architecture: ModuleConfig;
  versions: Record<string, string>;
  weights: { file: string; bytes: number; sha256: string };
  createdAt: string;
}

/** A bundle that cannot be read or written; `limit` names the figure of `BundleLimits` it broke, if any. */
export class BundleError extends Error {
  override name = 'BundleError';
  constructor(
    message: string,
    readonly limit?: string,
  ) {
    super(message);
  }
}

export async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The two files of a bundle, in memory: model.json text and model.safetensors bytes. */
export async function serializeBundle(
  model: Module,
  info: BundleInfo,
): Promise<{ manifest: BundleManifest; json: string; weights: Uint8Array }> {
  const state = model.stateDict();
  let weights: Uint8Array;
  try {
    weights = await saveSafetensors(state, { format: 'pt' });
  } finally {
    tf.dispose(Object.values(state));
  }
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    architecture: model.toJSON(),
    ...info,
    versions: { '@descent/train': version, '@tensorflow/tfjs-core': tf.version_core },
    weights: { file: WEIGHTS_FILE, bytes: weights.length, sha256: await sha256(weights) },
    createdAt: new Date().toISOString(),
  };
  return { manifest, json: `${JSON.stringify(manifest, null, 2)}\n`, weights };
}

/** Checks model.json's text; `source` names the file in errors. */
export function parseManifest(
  json: string,
  source = 'model.json',
  limits?: Partial<BundleLimits>,
): BundleManifest {
  const { maxManifestBytes, maxDepth } = bundleLimits('parseManifest', limits);
  if (json.length > maxManifestBytes) {
    throw new BundleError(
      `${source}: expected at most ${maxManifestBytes} bytes (limits.maxManifestBytes), found ${json.length}`,
      'maxManifestBytes',
    );
  }
  const depth = jsonDepth(json);
  if (depth > maxDepth) {
    throw new BundleError(
      `${source}: expected arrays and objects nested at most ${maxDepth} deep (limits.maxDepth), found ${depth}`,
    );
  }
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(json);
  } catch (err) {
    throw new BundleError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  if (manifest?.format !== BUNDLE_FORMAT) {
    throw new BundleError(
      `${source}: format: expected "${BUNDLE_FORMAT}", found ${JSON.stringify(manifest?.format)}`,
    );
  }
  if (manifest.formatVersion !== BUNDLE_FORMAT_VERSION) {
    throw new BundleError(
      `${source}: formatVersion: expected ${BUNDLE_FORMAT_VERSION}, found ${manifest.formatVersion}`,
    );
  }
  for (const key of ['architecture', 'weights', 'loss'] as const) {
    if (manifest[key] == null) throw new BundleError(`${source}: ${key}: expected a value, found nothing`);
  }
  checkFields(manifest, source);
  return manifest;
}

const isStrings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
const outputKinds = ['value', 'probability', 'logit', 'classScores'];

/** The fields a loader reads, checked so that a hand-edited model.json fails here and not later. */
function checkFields(m: BundleManifest, source: string): void {
  const fail = (key: string, expected: string, found: unknown) => {
    throw new BundleError(`${source}: ${key}: expected ${expected}, found ${describe(found)}`);
  };
  const { weights } = m;
  if (typeof weights !== 'object' || !Number.isSafeInteger(weights.bytes) || weights.bytes < 0)
    fail('weights.bytes', 'a byte count', weights?.bytes);
  if (typeof weights.sha256 !== 'string') fail('weights.sha256', 'a hex digest', weights.sha256);
  if (typeof m.loss !== 'string') fail('loss', 'a loss name', m.loss);
  if (!outputKinds.includes(m.outputKind))
    fail('outputKind', `one of ${outputKinds.join(', ')}`, m.outputKind);
  for (const key of ['featureNames', 'labelNames'] as const) {
    if (m[key] !== undefined && !isStrings(m[key])) fail(key, 'an array of strings', m[key]);
  }
  if (
    m.inputShape !== undefined &&
    !(Array.isArray(m.inputShape) && m.inputShape.every((d) => Number.isSafeInteger(d) && d > 0))
  ) {
    fail('inputShape', 'an array of positive integers', m.inputShape);
  }
  const pre = m.preprocessing;
  if (pre === undefined || (pre as { type?: unknown }).type !== 'TabularPreprocessor') return;
  let columns: string[];
  try {
    columns = TabularPreprocessor.fromJSON(pre).inputColumns;
  } catch (err) {
    throw new BundleError(`${source}: preprocessing: ${(err as Error).message}`);
  }
  if (m.featureNames !== undefined && m.featureNames.join('\u0000') !== columns.join('\u0000')) {
    throw new BundleError(
      `${source}: featureNames: expected the preprocessing's input columns ${describe(columns)}, found ${describe(m.featureNames)}`,
    );
  }
}

/** Options for reading a bundle from bytes: the size limits. */
export interface DeserializeBundleOptions {
  /** Raise (or lower) the figures checked before the model is built; see `DEFAULT_BUNDLE_LIMITS`. */
  limits?: Partial<BundleLimits>;
}

/**
 * Rebuilds the model from model.json and the weights, after checking sizes, limits and checksum.
 * On any failure every tensor made on the way is freed.
 */
export async function deserializeBundle(
  json: string,
  weights: Uint8Array,
  source = 'bundle',
  options?: DeserializeBundleOptions,
): Promise<{ model: Module; manifest: BundleManifest }> {
  const { limits: given } = checkOptions<DeserializeBundleOptions>('deserializeBundle', options, ['limits']);
  const limits = bundleLimits('deserializeBundle', given);
  const manifest = parseManifest(json, `${source}/model.json`, limits);
  const file = `${source}/${WEIGHTS_FILE}`;
  if (weights.length > limits.maxWeightsBytes) {
    throw new BundleError(
      `${file}: expected at most ${limits.maxWeightsBytes} bytes (limits.maxWeightsBytes), found ${weights.length}`,
      'maxWeightsBytes',
    );
  }
  if (weights.length !== manifest.weights.bytes) {
    throw new BundleError(
      `${file}: expected ${manifest.weights.bytes} bytes, found ${weights.length} (truncated or replaced)`,
    );
  }
  const digest = await sha256(weights);
  if (digest !== manifest.weights.sha256) {
    throw new BundleError(
      `${file}: sha256 ${digest} does not match model.json's ${manifest.weights.sha256} (corrupted)`,
    );
  }
  let tensors: Record<string, tf.Tensor>;
  try {
    ({ tensors } = loadSafetensors(weights, {
      source: file,
      limits: {
        maxBytes: limits.maxWeightsBytes,
        maxHeaderBytes: limits.maxHeaderBytes,
        maxTensorElements: limits.maxTensorElements,
      },
    }));
  } catch (err) {
    throw new BundleError((err as Error).message);
  }
  let model: Module | undefined;
  try {
    const elements = Object.values(tensors).reduce((n, t) => n + t.size, 0);
    const oversized = oversizedLayer(manifest.architecture, elements, limits.maxWidth);
    if (oversized) throw new BundleError(`${source}/model.json: ${oversized.path}: ${oversized.message}`);
    try {
      model = fromConfig(manifest.architecture);
    } catch (err) {
      throw new BundleError(`${source}/model.json: architecture: ${(err as Error).message}`);
    }
    try {
      model.loadStateDict(tensors);
    } catch (err) {
      throw new BundleError(`${file}: ${(err as Error).message}`);
    }
  } catch (err) {
    model?.dispose();
    throw err;
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return { model, manifest };
}
