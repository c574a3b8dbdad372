import { DEFAULT_SAFETENSORS_LIMITS, type ModuleConfig } from '@descent/layers';
import { checkOptions, DescentArgumentError, describe } from '@descent/tensor';

/**
 * What a bundle loader accepts, checked from file sizes, model.json's text and the safetensors
 * header before any model is built. The defaults hold every model this project trains many times
 * over (its largest, an MNIST CNN, is under 1 MiB of weights and 4 KiB of model.json); raise them
 * through `loadBundle(dir, { limits })`, or the CLI's `--max-model-mb`.
 */
export interface BundleLimits {
  /** model.json's size in bytes (default 16 MiB: a table's one-hot categories live there). */
  maxManifestBytes: number;
  /** model.safetensors' size in bytes (default 1 GiB, 268 million float32 weights). */
  maxWeightsBytes: number;
  /** The safetensors JSON header in bytes (default 16 MiB). */
  maxHeaderBytes: number;
  /** One tensor's element count (default 2^28). */
  maxTensorElements: number;
  /** How deeply model.json's arrays and objects may nest (default 64; a real one nests under 10). */
  maxDepth: number;
  /** Any layer's inFeatures, outFeatures, inChannels, outChannels or numFeatures (default 2^20). */
  maxWidth: number;
}

/** The default limits a bundle loader checks before building the model. */
export const DEFAULT_BUNDLE_LIMITS: Readonly<BundleLimits> = Object.freeze({
  maxManifestBytes: 16 * 2 ** 20,
  maxWeightsBytes: DEFAULT_SAFETENSORS_LIMITS.maxBytes,
  maxHeaderBytes: DEFAULT_SAFETENSORS_LIMITS.maxHeaderBytes,
  maxTensorElements: DEFAULT_SAFETENSORS_LIMITS.maxTensorElements,
  maxDepth: 64,
  maxWidth: 2 ** 20,
});

/** The defaults with the caller's figures over them; every figure must be a non-negative number. */
export function bundleLimits(owner: string, given: unknown): BundleLimits {
  const known = Object.keys(DEFAULT_BUNDLE_LIMITS);
  const limits = checkOptions<Record<string, unknown>>(`${owner}: limits`, given, known);
  const out: Record<string, number> = { ...DEFAULT_BUNDLE_LIMITS };
  for (const [key, value] of Object.entries(limits)) {
    if (value === undefined) continue;
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
      throw new DescentArgumentError(
        `${owner}: limits.${key}: expected a non-negative number, found ${describe(value)}`,
      );
    }
    out[key] = value;
  }
  return out as unknown as BundleLimits;
}

const WIDTHS = ['inFeatures', 'outFeatures', 'inChannels', 'outChannels', 'numFeatures'] as const;
// The fields whose product is a layer's weight count (Linear: out × in; Conv2d: out × in × kernel).
const WEIGHT_FACTORS = ['inFeatures', 'outFeatures', 'inChannels', 'outChannels'] as const;

export interface OversizedLayer {
  path: string;
  message: string;
}

/**
 * Finds a layer too big to build: a width above `maxWidth`, or a weight larger than all of the
 * weights file together (a strict load would refuse it anyway, after allocating it). Building a
 * model allocates its weights, so this runs on model.json's architecture first.
 */
export function oversizedLayer(
  architecture: ModuleConfig,
  weightElements: number,
  maxWidth: number,
): OversizedLayer | undefined {
  const pending: [unknown, string][] = [[architecture, 'architecture']];
  while (pending.length > 0) {
    const [node, path] = pending.pop() as [unknown, string];
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) pending.push([node[i], `${path}[${i}]`]);
      continue;
    }
    const config = node as Record<string, unknown>;
    for (const key of WIDTHS) {
      const value = config[key];
      if (typeof value === 'number' && value > maxWidth) {
        return {
          path: `${path}.${key}`,
          message: `expected at most ${maxWidth} (limits.maxWidth), found ${value}`,
        };
      }
    }
    const widths = WEIGHT_FACTORS.map((k) => config[k]).filter((v): v is number => typeof v === 'number');
    const kernel = [config['kernelSize']].flat().filter((v): v is number => typeof v === 'number');
    const factors = [...widths, ...kernel];
    if (widths.length >= 2) {
      const weights = factors.reduce((a, b) => a * b, 1);
      if (weights > weightElements) {
        return {
          path,
          message: `a ${describe(config['type'])} of ${factors.join(' × ')} = ${weights} weights, more than the ${weightElements} the weights file holds`,
        };
      }
    }
    for (const [key, child] of Object.entries(config)) {
      if (child !== null && typeof child === 'object') pending.push([child, `${path}.${key}`]);
    }
  }
  return undefined;
}
