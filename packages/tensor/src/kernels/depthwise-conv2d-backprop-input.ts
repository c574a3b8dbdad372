import {
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
} from '@tensorflow/tfjs-core';
import { depthwiseInfo, forEachDepthwiseTap } from './depthwise-conv2d-taps';
import { asWasm, heapF32, inputOf, requireFloat32 } from './wasm-backend';

/**
 * The input gradient of a depthwise convolution (NHWC), which tfjs-backend-wasm 4.22 lacks.
 * Scatters each dy entry back through the taps that produced it, so strides and dilation need
 * no divisibility tests; each dx entry receives at most taps x multiplier terms.
 */
export const depthwiseConv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputOf(DepthwiseConv2dNativeBackpropInput, inputs, 'dy');
  const filter = inputOf(DepthwiseConv2dNativeBackpropInput, inputs, 'filter');
  const a = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  const name = DepthwiseConv2dNativeBackpropInput;
  const wasm = asWasm(backend);
  requireFloat32(name, 'dy', dy);
  requireFloat32(name, 'filter', filter);
  const info = depthwiseInfo(a.inputShape, filter.shape as [number, number, number, number], a);
  const { inChannels, outChannels } = info;
  const multiplier = outChannels / inChannels;
  const out = wasm.makeOutput([...info.inShape], 'float32');
  const dx = heapF32(wasm, out);
  const dys = heapF32(wasm, dy);
  const ws = heapF32(wasm, filter);
  dx.fill(0);
  forEachDepthwiseTap(info, (dyBase, dxBase, wBase) => {
    if (multiplier === 1) {
      for (let d = 0; d < outChannels; d++) dx[dxBase + d] += ws[wBase + d] * dys[dyBase + d];
    } else {
      for (let ci = 0, d = 0; ci < inChannels; ci++) {
        let acc = 0;
        for (let m = 0; m < multiplier; m++, d++) acc += ws[wBase + d] * dys[dyBase + d];
        dx[dxBase + ci] += acc;
      }
    }
  });
  return out;
};

export const depthwiseConv2dBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropInput,
};
