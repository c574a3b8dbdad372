import { DescentArgumentError } from '@descent/tensor';
import { type Padding2, paddingPair, pair, type Size2 } from './options';

export interface Pool2dOptions {
  /** Default: the kernel size, so windows tile the image without overlap. */
  stride?: Size2;
  /** Per side; at most half the kernel size, as in PyTorch. */
  padding?: Padding2;
}

export interface PoolGeometry {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
}

/** Normalises and checks the options that MaxPool2d and AvgPool2d share. */
export function poolGeometry(layer: string, kernelSize: Size2, options: Pool2dOptions): PoolGeometry {
  const kernel = pair(`${layer}: kernelSize`, kernelSize);
  const stride = pair(`${layer}: stride`, options.stride ?? kernel);
  const padding = paddingPair(`${layer}: padding`, options.padding ?? 0);
  if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) {
    throw new DescentArgumentError(
      `${layer}: padding: expected at most half the kernel size [${kernel.join(', ')}], found [${padding.join(', ')}]`,
    );
  }
  return { kernelSize: kernel, stride, padding };
}
