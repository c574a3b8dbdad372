import { argumentError, DescentArgumentError, tf } from '@descent/tensor';
import { Conv2d } from './conv2d';
import { toGrey, toRows } from './grey';
import { describeInstance } from './layer-walk';

export interface FiltersOptions {
  /**
   * true (default): grey images in [0, 1] scaled over the whole layer, so filters compare;
   * 'perFilter': each output filter scaled on its own; false: the raw weights as a tensor.
   */
  normalise?: boolean | 'perFilter';
}

/** The raw kernels, a copy of the weight [out, in, kh, kw] that you dispose. */
export function filters(conv: Conv2d, options: { normalise: false }): tf.Tensor4D;
/** The kernels as grey images: number[out][in][kh][kw] in [0, 1], for display. */
export function filters(conv: Conv2d, options?: { normalise?: true | 'perFilter' }): number[][][][];
export function filters(conv: Conv2d, options: FiltersOptions = {}): tf.Tensor4D | number[][][][] {
  if (!(conv instanceof Conv2d))
    throw new DescentArgumentError(`filters: conv: expected a Conv2d, found ${describeInstance(conv)}`);
  const { normalise = true } = options;
  if (normalise !== true && normalise !== false && normalise !== 'perFilter')
    throw argumentError('filters: normalise', "true, false or 'perFilter'", normalise);
  if (normalise === false) return tf.clone(conv.weight.value) as tf.Tensor4D;
  const [out, inC, kh, kw] = conv.weight.shape;
  const raw = conv.weight.value.dataSync();
  const per = inC * kh * kw;
  const grey =
    normalise === 'perFilter'
      ? Array.from({ length: out }, (_, o) => toGrey(raw.subarray(o * per, (o + 1) * per))).flat()
      : toGrey(raw);
  return Array.from({ length: out }, (_, o) =>
    Array.from({ length: inC }, (_, i) => toRows(grey, (o * inC + i) * kh * kw, kh, kw)),
  );
}
