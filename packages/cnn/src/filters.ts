import { argumentError, DescentArgumentError, tf } from '@descent/tensor';
import { Conv2d } from './conv2d';
import { toGrey, toRows } from './grey';
import { describeInstance } from './layer-walk';

/** Options for reading a Conv2d layer's filters as images. */
export interface FiltersOptions {
  /**
   * true (default): grey images in [0, 1] scaled over the whole layer, so filters compare;
   * 'perFilter': each output filter scaled on its own; false: the raw weights as a tensor.
   */
  normalise?: boolean | 'perFilter';
}

function checkArguments(where: string, conv: Conv2d, options: FiltersOptions): boolean | 'perFilter' {
  if (!(conv instanceof Conv2d))
    throw new DescentArgumentError(`${where}: conv: expected a Conv2d, found ${describeInstance(conv)}`);
  const { normalise = true } = options;
  if (normalise !== true && normalise !== false && normalise !== 'perFilter')
    throw argumentError(`${where}: normalise`, "true, false or 'perFilter'", normalise);
  return normalise;
}

/** The weight's values [out, in, kh, kw] as grey images number[out][in][kh][kw]. */
function asImages(
  raw: Float32Array | Int32Array | Uint8Array,
  shape: number[],
  normalise: true | 'perFilter',
): number[][][][] {
  const [out, inC, kh, kw] = shape;
  const per = inC * kh * kw;
  const grey =
    normalise === 'perFilter'
      ? Array.from({ length: out }, (_, o) => toGrey(raw.subarray(o * per, (o + 1) * per))).flat()
      : toGrey(raw);
  return Array.from({ length: out }, (_, o) =>
    Array.from({ length: inC }, (_, i) => toRows(grey, (o * inC + i) * kh * kw, kh, kw)),
  );
}

/** The raw kernels, a copy of the weight [out, in, kh, kw] that you dispose. */
export function filters(conv: Conv2d, options: { normalise: false }): tf.Tensor4D;
/** The kernels as grey images: number[out][in][kh][kw] in [0, 1], for display. */
export function filters(conv: Conv2d, options?: { normalise?: true | 'perFilter' }): number[][][][];
export function filters(conv: Conv2d, options: FiltersOptions = {}): tf.Tensor4D | number[][][][] {
  const normalise = checkArguments('filters', conv, options);
  if (normalise === false) return tf.clone(conv.weight.value) as tf.Tensor4D;
  return asImages(conv.weight.value.dataSync(), conv.weight.shape, normalise);
}

/** The raw kernels, a copy of the weight [out, in, kh, kw] that you dispose. */
export function filtersAsync(conv: Conv2d, options: { normalise: false }): Promise<tf.Tensor4D>;
/** The kernels as grey images: number[out][in][kh][kw] in [0, 1], for display. */
export function filtersAsync(
  conv: Conv2d,
  options?: { normalise?: true | 'perFilter' },
): Promise<number[][][][]>;
/**
 * `filters` with an asynchronous read, for backends that cannot read back synchronously (WebGPU).
 * The weight is read through a copy, so the layer may train on, or be disposed, meanwhile.
 */
export async function filtersAsync(
  conv: Conv2d,
  options: FiltersOptions = {},
): Promise<tf.Tensor4D | number[][][][]> {
  const normalise = checkArguments('filtersAsync', conv, options);
  const copy = tf.clone(conv.weight.value) as tf.Tensor4D;
  if (normalise === false) return copy;
  try {
    return asImages(await copy.data(), copy.shape, normalise);
  } finally {
    copy.dispose();
  }
}
