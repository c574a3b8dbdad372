import { type Initializer, Parameter } from '@descent/layers';
import { argumentError, type RandomSource, tf } from '@descent/tensor';

/** Runs a user-suppliable initialiser and checks that it made a fresh tensor of the right shape. */
export function initParameter(
  where: string,
  init: Initializer,
  shape: number[],
  source: RandomSource,
): Parameter {
  const value = init(shape, source);
  if (
    !(value instanceof tf.Tensor) ||
    value instanceof tf.Variable ||
    !tf.util.arraysEqual(value.shape, shape)
  ) {
    const error = argumentError(where, `a new tensor of shape [${shape.join(', ')}]`, value);
    if (value instanceof tf.Tensor && !(value instanceof tf.Variable)) value.dispose();
    throw error;
  }
  if (value.dtype === 'float32') return new Parameter(value);
  const float = tf.cast(value, 'float32');
  value.dispose();
  return new Parameter(float);
}
