import { Adam, type AdamOptions } from './adam';
import type { Params } from './param-group';

/**
 * AdamW, PyTorch's algorithm: Adam without L2 in the gradient; instead the weights decay
 * directly, `p *= 1 - lr * weightDecay`, before the Adam step. `weightDecay` defaults to 1e-2.
 */
export class AdamW extends Adam {
  override readonly kind: string = 'AdamW';
  protected override readonly decoupledDecay: boolean = true;

  static override readonly owner: string = 'AdamW';

  constructor(params: Params<AdamOptions>, options: AdamOptions = {}) {
    super(params, { ...options, weightDecay: options?.weightDecay ?? 1e-2 });
  }
}
