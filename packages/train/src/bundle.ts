import {
  fromConfig,
  loadSafetensors,
  type Module,
  type ModuleConfig,
  saveSafetensors,
} from '@descent/layers';
import { tf } from '@descent/tensor';
import { version } from '../package.json';
import type { OutputKind } from './output';

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

export class BundleError extends Error {
  override name = 'BundleError';
}

async function sha256(bytes: Uint8Array): Promise<string> {
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
export function parseManifest(json: string, source = 'model.json'): BundleManifest {
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
  return manifest;
}

/** Rebuilds the model from model.json and the weights, after checking size and checksum. */
export async function deserializeBundle(
  json: string,
  weights: Uint8Array,
  source = 'bundle',
): Promise<{ model: Module; manifest: BundleManifest }> {
  const manifest = parseManifest(json, `${source}/model.json`);
  const file = `${source}/${manifest.weights.file}`;
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
  const { tensors } = loadSafetensors(weights);
  const model = fromConfig(manifest.architecture);
  try {
    model.loadStateDict(tensors);
  } catch (err) {
    model.dispose();
    throw new BundleError(`${file}: ${(err as Error).message}`);
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return { model, manifest };
}
