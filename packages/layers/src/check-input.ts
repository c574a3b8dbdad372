import { argumentError, tf } from '@descent/tensor';

/** The boundary check every layer's forward shares: a float32 tensor, returned for chaining. */
export function checkInput(layer: string, x: tf.Tensor): tf.Tensor {
  if (!(x instanceof tf.Tensor)) throw argumentError(`${layer}: input`, 'a tensor', x);
  if (x.dtype !== 'float32') throw argumentError(`${layer}: input`, 'a float32 tensor', x);
  return x;
}
