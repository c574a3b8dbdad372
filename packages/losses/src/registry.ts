import { DescentArgumentError, describe, type Tensor } from '@descent/tensor';
import { bce } from './bce';
import { bceWithLogits } from './bce-with-logits';
import { crossEntropy } from './cross-entropy';
import { huber } from './huber';
import { mae } from './mae';
import { mse } from './mse';

/** A loss with its default options: (input, target) => loss tensor (a scalar for 'mean'). */
export type LossFn = (input: Tensor, target: Tensor) => Tensor;

/** Every loss by name, e.g. for a config file or a command-line flag. */
export const losses = { mse, mae, huber, bce, bceWithLogits, crossEntropy } as const;

export type LossName = keyof typeof losses;

export const lossNames = Object.keys(losses) as LossName[];

export function isLossName(name: unknown): name is LossName {
  return typeof name === 'string' && Object.hasOwn(losses, name);
}

/** Looks a loss up by its exact name; an unknown name throws with the list of valid ones. */
export function getLoss(name: string): LossFn {
  if (!isLossName(name)) {
    throw new DescentArgumentError(
      `getLoss: name: expected one of ${lossNames.map((n) => `"${n}"`).join(', ')}, found ${describe(name)}`,
    );
  }
  return losses[name];
}
