import { argumentError, type Tensor, tf } from '@descent/tensor';

/** How per-element losses become the returned tensor, as in torch.nn.functional. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Every reduction a loss accepts. */
export const reductions: readonly Reduction[] = ['mean', 'sum', 'none'];

/** Returns `value` as a Reduction, or throws naming the loss and the bad value. */
export function checkReduction(loss: string, value: unknown): Reduction {
  if (value === undefined) return 'mean';
  if (typeof value === 'string' && (reductions as readonly string[]).includes(value)) {
    return value as Reduction;
  }
  throw argumentError(`${loss}: reduction`, `one of ${reductions.map((r) => `"${r}"`).join(', ')}`, value);
}

/** 'mean' averages over every element, 'sum' adds them, 'none' hands them back unchanged. */
export function reduce(losses: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'mean') return tf.mean(losses);
  if (reduction === 'sum') return tf.sum(losses);
  return losses;
}
