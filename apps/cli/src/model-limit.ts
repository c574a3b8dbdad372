import type { Module } from '@descent/layers';
import { BundleError, type BundleLimits, type BundleManifest, DEFAULT_BUNDLE_LIMITS } from '@descent/train';
import { loadBundle } from '@descent/train/node';
import { UsageError } from './usage-error';

const MIB = 2 ** 20;
// Node reads a file whole only below 2 GiB; a larger bundle could not be loaded at any setting.
const MOST_MB = 2047;

export const MAX_MODEL_MB_FLAG = '--max-model-mb <n>';
export const MAX_MODEL_MB_HELP = `largest model.safetensors to load, in MiB (default ${DEFAULT_BUNDLE_LIMITS.maxWeightsBytes / MIB}, at most ${MOST_MB})`;

/**
 * `--max-model-mb 1500`: the loader's limits for a model of that size. It bounds the weights
 * file, and raises (never lowers) the bounds that grow with a model: one tensor's element count
 * and model.json's size.
 */
export function modelLimits(raw: string | undefined): Partial<BundleLimits> | undefined {
  if (raw === undefined) return undefined;
  const mb = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(mb) || mb <= 0 || mb > MOST_MB) {
    throw new UsageError(
      `--max-model-mb: expected a number of MiB above 0 and at most ${MOST_MB} (Node reads files under 2 GiB), found "${raw}"`,
    );
  }
  const bytes = Math.floor(mb * MIB);
  return {
    maxWeightsBytes: bytes,
    maxTensorElements: Math.max(DEFAULT_BUNDLE_LIMITS.maxTensorElements, Math.floor(bytes / 4)),
    maxManifestBytes: Math.max(DEFAULT_BUNDLE_LIMITS.maxManifestBytes, bytes),
  };
}

/** loadBundle with `--max-model-mb`'s limits; a limit's error says which flag raises it. */
export async function loadBundleFlag(
  dir: string,
  maxModelMb: string | undefined,
): Promise<{ model: Module; manifest: BundleManifest }> {
  const limits = modelLimits(maxModelMb);
  try {
    return await loadBundle(dir, { limits });
  } catch (err) {
    if (
      err instanceof BundleError &&
      /\(limits\.(maxWeightsBytes|maxTensorElements|maxManifestBytes)\)/.test(err.message)
    ) {
      throw new BundleError(`${err.message}; --max-model-mb raises it`, err.limit);
    }
    throw err;
  }
}
