import { backend_util, type DepthwiseConv2dNativeBackpropFilterAttrs } from '@tensorflow/tfjs-core';

type Shape4 = [number, number, number, number];
type DepthwiseAttrs = Pick<
  DepthwiseConv2dNativeBackpropFilterAttrs,
  'strides' | 'dilations' | 'pad' | 'dimRoundingMode'
>;

/** The geometry of a depthwise convolution (NHWC) of x of `xShape` by a filter of `filterShape`. */
export function depthwiseInfo(
  xShape: Shape4,
  filterShape: Shape4,
  attrs: DepthwiseAttrs,
): backend_util.Conv2DInfo {
  const { strides, dilations, pad, dimRoundingMode } = attrs;
  return backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations, pad, dimRoundingMode, true);
}

/**
 * Calls `visit` for every output position and filter tap whose input position lies inside x
 * (after padding, stride and dilation), with the offsets of channel 0 of that dy pixel, that x
 * pixel and that filter tap. Both depthwise gradients are sums over exactly these pairs, in this
 * order; they differ only in what each pair adds, and where.
 */
export function forEachDepthwiseTap(
  info: backend_util.Conv2DInfo,
  visit: (dyBase: number, xBase: number, wBase: number) => void,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  for (let b = 0; b < batchSize; b++) {
    for (let r = 0; r < outHeight; r++) {
      for (let c = 0; c < outWidth; c++) {
        const dyBase = ((b * outHeight + r) * outWidth + c) * outChannels;
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = r * strideHeight - top + kh * dilationHeight;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = c * strideWidth - left + kw * dilationWidth;
            if (iw < 0 || iw >= inWidth) continue;
            visit(
              dyBase,
              ((b * inHeight + ih) * inWidth + iw) * inChannels,
              (kh * filterWidth + kw) * outChannels,
            );
          }
        }
      }
    }
  }
}
