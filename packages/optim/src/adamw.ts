import { checkOptions } from '@descent/tensor';
import { Adam, type AdamOptions, adamOptionKeys } from './adam';
import type { OptimParam } from './param';

/**
 * AdamW, PyTorch's algorithm: Adam without L2 in the gradient; instead the weights decay
 * directly, `p *= 1 - lr * weightDecay`, before the Adam step. `weightDecay` defaults to 1e-2.
 */
export class AdamW extends Adam {
  override readonly kind: string = 'AdamW';
  protected override readonly decoupledDecay: boolean = true;

  constructor(params: readonly OptimParam[], options: AdamOptions = {}) {
    // Checked here first so that an error names AdamW, not the Adam it builds on.
    checkOptions('AdamW', options, adamOptionKeys);
    super(params, { ...options, weightDecay: options?.weightDecay ?? 1e-2 });
  }
}
