import { DescentArgumentError, describe, type Tensor } from '@descent/tensor';
import { bce } from './bce';
import { bceWithLogits } from './bce-with-logits';
import { crossEntropy } from './cross-entropy';
import { huber } from './huber';
import { mae } from './mae';
import { mse } from './mse';

/** A loss with its default options: (input, target) => loss tensor (a scalar for 'mean'). */
export type LossFn = (input: Tensor, target: Tensor) => Tensor;

/**
 * Every loss by name, e.g. for a config file or a command-line flag.
 *
 * @namespace
 * @property mse - Mean squared error, as torch's mse_loss.
 * @property mae - Mean absolute error, as torch's l1_loss.
 * @property huber - Huber loss: quadratic near zero, linear beyond delta.
 * @property bce - Binary cross-entropy on probabilities.
 * @property bceWithLogits - Binary cross-entropy on logits (a sigmoid built in, numerically stable).
 * @property crossEntropy - Cross-entropy on logits for several classes, as torch's cross_entropy.
 */
export const losses = { mse, mae, huber, bce, bceWithLogits, crossEntropy } as const;

/** The name of a loss in the registry. */
export type LossName = keyof typeof losses;

/** The names of every loss in the registry. */
export const lossNames = Object.keys(losses) as LossName[];

/** Whether `name` is the name of a loss in the registry. */
export function isLossName(name: unknown): name is LossName {
  return typeof name === 'string' && Object.hasOwn(losses, name);
}

/** PyTorch's names for the same losses (torch.nn.functional's), and snake_case spellings of ours. */
const pytorchNames: Record<string, LossName> = {
  mse_loss: 'mse',
  l1_loss: 'mae',
  huber_loss: 'huber',
  binary_cross_entropy: 'bce',
  binary_cross_entropy_with_logits: 'bceWithLogits',
  bce_with_logits: 'bceWithLogits',
  cross_entropy: 'crossEntropy',
};

/** The registry's name for `name`, which may be PyTorch's (`'cross_entropy'`); undefined if unknown. */
export function lossNameOf(name: unknown): LossName | undefined {
  if (isLossName(name)) return name;
  return typeof name === 'string' && Object.hasOwn(pytorchNames, name) ? pytorchNames[name] : undefined;
}

/**
 * Looks a loss up by its name, or PyTorch's (`'cross_entropy'`, `'mse_loss'`); an unknown name
 * throws with the list of valid ones.
 */
export function getLoss(name: string): LossFn {
  const known = lossNameOf(name);
  if (known === undefined) {
    throw new DescentArgumentError(
      `getLoss: name: expected one of ${lossNames.map((n) => `"${n}"`).join(', ')} (or PyTorch's name), found ${describe(name)}`,
    );
  }
  return losses[known];
}
