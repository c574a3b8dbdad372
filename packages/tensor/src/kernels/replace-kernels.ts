import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';

export interface KernelOverride {
  config: KernelConfig;
  /** Receives tfjs's kernel when ours still hands it part of the work, or runs it behind a flag. */
  keep?: (original: KernelConfig) => void;
}

/**
 * Puts each override in place of the kernel of its name on its backend. Calling it again changes
 * nothing: a kernel that is already ours is left alone. Returns the names replaced now.
 */
export function replaceKernels(overrides: readonly KernelOverride[]): string[] {
  const replaced: string[] = [];
  for (const { config, keep } of overrides) {
    const current = getKernel(config.kernelName, config.backendName);
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current != null) {
      keep?.(current);
      unregisterKernel(config.kernelName, config.backendName);
    }
    registerKernel(config);
    replaced.push(config.kernelName);
  }
  return replaced;
}
