import {
  backend_util,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
} from '@tensorflow/tfjs-core';
import { asWasm, heapF32, inputOf, requireFloat32 } from './wasm-backend';

/**
 * The input gradient of a depthwise convolution (NHWC), which tfjs-backend-wasm 4.22 lacks.
 * Scatters each dy entry back through the taps that produced it, so strides and dilation need
 * no divisibility tests; each dx entry receives at most taps x multiplier terms.
 */
export const depthwiseConv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputOf(DepthwiseConv2dNativeBackpropInput, inputs, 'dy');
  const filter = inputOf(DepthwiseConv2dNativeBackpropInput, inputs, 'filter');
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  const name = DepthwiseConv2dNativeBackpropInput;
  const wasm = asWasm(backend);
  requireFloat32(name, 'dy', dy);
  requireFloat32(name, 'filter', filter);
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const multiplier = outChannels / inChannels;
  const out = wasm.makeOutput([...info.inShape], 'float32');
  const dx = heapF32(wasm, out);
  const dys = heapF32(wasm, dy);
  const ws = heapF32(wasm, filter);
  dx.fill(0);
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
            const dxBase = ((b * inHeight + ih) * inWidth + iw) * inChannels;
            const wBase = (kh * filterWidth + kw) * outChannels;
            if (multiplier === 1) {
              for (let d = 0; d < outChannels; d++) dx[dxBase + d] += ws[wBase + d] * dys[dyBase + d];
            } else {
              for (let ci = 0, d = 0; ci < inChannels; ci++) {
                let acc = 0;
                for (let m = 0; m < multiplier; m++, d++) acc += ws[wBase + d] * dys[dyBase + d];
                dx[dxBase + ci] += acc;
              }
            }
          }
        }
      }
    }
  }
  return out;
};

export const depthwiseConv2dBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropInput,
};
