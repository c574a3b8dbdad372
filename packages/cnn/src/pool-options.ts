import { argumentError, DescentArgumentError, type tf } from '@descent/tensor';
import { type Padding2, paddingPair, pair, type Size2 } from './options';

/** Options shared by MaxPool2d and AvgPool2d: stride, padding and ceil mode. */
export interface Pool2dOptions {
  /** Default: the kernel size, so windows tile the image without overlap. */
  stride?: Size2;
  /** Per side; at most half the kernel size, as in PyTorch. */
  padding?: Padding2;
  /**
   * Round the output size up, as PyTorch's ceil_mode: a last, partial window covers the rows and
   * columns a floor would leave out (each window still starts inside the input or its padding).
   */
  ceilMode?: boolean;
}

export interface PoolGeometry {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
  ceilMode: boolean;
}

/** Normalises and checks the options that MaxPool2d and AvgPool2d share. */
export function poolGeometry(layer: string, kernelSize: Size2, options: Pool2dOptions): PoolGeometry {
  const { ceilMode = false } = options;
  if (typeof ceilMode !== 'boolean') throw argumentError(`${layer}: ceilMode`, 'a boolean', ceilMode);
  const kernel = pair(`${layer}: kernelSize`, kernelSize);
  const stride = pair(`${layer}: stride`, options.stride ?? kernel);
  const padding = paddingPair(`${layer}: padding`, options.padding ?? 0);
  if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) {
    throw new DescentArgumentError(
      `${layer}: padding: expected at most half the kernel size [${kernel.join(', ')}], found [${padding.join(', ')}]`,
    );
  }
  return { kernelSize: kernel, stride, padding, ceilMode };
}

/** PyTorch's pooled length of `size` values: floor or (ceilMode) ceil of the window count. */
export function pooledLength(
  size: number,
  kernel: number,
  stride: number,
  padding: number,
  ceil: boolean,
): number {
  const span = size + 2 * padding - kernel;
  let length = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // The last window must start inside the input or its left padding, not in the right padding.
  if (ceil && (length - 1) * stride >= size + padding) length--;
  return length;
}

/**
 * How many rows and columns past the padded input a ceil-mode pooling's last windows reach
 * ([0, 0] where ceil and floor agree): the pools add them at the bottom and right, as -∞ (max) or
 * as places left out of the count (average).
 */
export function ceilModeOverhang(x: tf.Tensor4D, geometry: PoolGeometry): [number, number] {
  if (!geometry.ceilMode) return [0, 0];
  const [, , h, w] = x.shape;
  const overhang = (size: number, axis: 0 | 1) => {
    const { kernelSize, stride, padding } = geometry;
    const length = pooledLength(size, kernelSize[axis], stride[axis], padding[axis], true);
    return Math.max(0, (length - 1) * stride[axis] + kernelSize[axis] - (size + 2 * padding[axis]));
  };
  return [overhang(h, 0), overhang(w, 1)];
}
