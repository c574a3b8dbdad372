import {
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
} from '@tensorflow/tfjs-core';
import { depthwiseInfo, forEachDepthwiseTap } from './depthwise-conv2d-taps';
import { asWasm, heapF32, inputOf, requireFloat32 } from './wasm-backend';

/**
 * The filter gradient of a depthwise convolution (NHWC), which tfjs-backend-wasm 4.22 lacks.
 * Each output channel correlates with one input channel only, so this is not one matmul; a
 * direct loop over positions and taps, innermost over contiguous channels, does it in
 * O(positions x taps x Cout), the cost of the forward pass. Dilation is honoured.
 */
export const depthwiseConv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputOf(DepthwiseConv2dNativeBackpropFilter, inputs, 'x');
  const dy = inputOf(DepthwiseConv2dNativeBackpropFilter, inputs, 'dy');
  const a = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  const name = DepthwiseConv2dNativeBackpropFilter;
  const wasm = asWasm(backend);
  requireFloat32(name, 'x', x);
  requireFloat32(name, 'dy', dy);
  const info = depthwiseInfo(x.shape as [number, number, number, number], a.filterShape, a);
  const { inChannels, outChannels, filterHeight, filterWidth } = info;
  const multiplier = outChannels / inChannels;
  // float64 sums: each entry adds up batch x positions products.
  const sum = new Float64Array(filterHeight * filterWidth * outChannels);
  const xs = heapF32(wasm, x);
  const dys = heapF32(wasm, dy);
  forEachDepthwiseTap(info, (dyBase, xBase, wBase) => {
    if (multiplier === 1) {
      for (let d = 0; d < outChannels; d++) sum[wBase + d] += xs[xBase + d] * dys[dyBase + d];
    } else {
      // Filter layout [kh, kw, ci, m] puts output channel ci * multiplier + m at offset d too.
      for (let ci = 0, d = 0; ci < inChannels; ci++) {
        const xv = xs[xBase + ci];
        for (let m = 0; m < multiplier; m++, d++) sum[wBase + d] += xv * dys[dyBase + d];
      }
    }
  });
  return wasm.makeOutput([...info.filterShape], 'float32', undefined, Float32Array.from(sum));
};

export const depthwiseConv2dBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropFilter,
};
