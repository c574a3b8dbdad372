import {
  type backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
} from '@tensorflow/tfjs-core';
import { backpropFilterInfo, type Shape4 } from './conv2d-backprop-filter';
import { allFinite, asCpu, cpuF32, cpuKernelsOn, StockKernel } from './cpu-backend';
import { geometryFromConvInfo } from './im2col';
import { inputOf, requireFloat32 } from './wasm-backend';

/** dy as NHWC values: itself when it already is, else a transposed copy. */
function dyChannelsLast(dy: Float32Array, info: backend_util.Conv2DInfo): Float32Array {
  if (info.dataFormat === 'channelsLast') return dy;
  const { batchSize: n, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const out = new Float32Array(dy.length);
  const plane = oh * ow;
  for (let b = 0; b < n; b++)
    for (let c = 0; c < co; c++)
      for (let p = 0; p < plane; p++) out[(b * plane + p) * co + c] = dy[(b * co + c) * plane + p];
  return out;
}

/**
 * dW[kh, kw, ci, co] = Σ over (b, oh, ow) of x[b, ih, iw, ci] · dy[b, oh, ow, co], where (ih, iw) is
 * tap (kh, kw) of output (oh, ow). Each sum runs in float64 in the same (b, oh, ow) order as
 * tfjs-backend-cpu's kernel and is rounded once, so the two agree bit for bit; the loops are
 * turned inside out so that x is read once per tap and dy a row of channels at a time. When dy is
 * all finite a zero x (most pixels of a digit, half of a ReLU's outputs) adds exactly nothing and
 * is skipped.
 */
export function filterGradient(
  x: Float32Array,
  dyValues: Float32Array,
  info: backend_util.Conv2DInfo,
): Float32Array {
  const g = geometryFromConvInfo(info);
  const { batchSize: n, outHeight: oh, outWidth: ow, inChannels: ci, outChannels: co } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const dy = dyChannelsLast(dyValues, info);
  const skipZeros = allFinite(dy);
  const sums = new Float64Array(fh * fw * ci * co);
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        const dyAt = ((b * oh + r) * ow + q) * co;
        for (let kh = 0; kh < fh; kh++) {
          const ih = r * sh - g.padTop + kh;
          if (ih < 0 || ih >= g.inHeight) continue;
          for (let kw = 0; kw < fw; kw++) {
            const iw = q * sw - g.padLeft + kw;
            if (iw < 0 || iw >= g.inWidth) continue;
            const xAt = b * g.batchStride + ih * g.rowStride + iw * g.colStride;
            let w = (kh * fw + kw) * ci * co;
            for (let c = 0; c < ci; c++, w += co) {
              const v = x[xAt + c * g.channelStride];
              if (v === 0 && skipZeros) continue;
              for (let o = 0; o < co; o++) sums[w + o] += v * dy[dyAt + o];
            }
          }
        }
      }
    }
  }
  return Float32Array.from(sums);
}

export const stockFilterGradient = new StockKernel(Conv2DBackpropFilter);

/**
 * Conv2DBackpropFilter for tfjs's cpu backend, replacing its own, which reads every value through
 * TensorBuffer.get and took 5.4 s of a small CNN's 6.3 s training step (bench/RESULTS.md).
 * Same values bit for bit; `DESCENT_CPU_KERNELS` false runs tfjs's.
 */
export const cpuConv2dBackpropFilter: KernelFunc = (args) => {
  if (!cpuKernelsOn()) return stockFilterGradient.run(args);
  const { inputs, backend, attrs } = args;
  const x = inputOf(Conv2DBackpropFilter, inputs, 'x');
  const dy = inputOf(Conv2DBackpropFilter, inputs, 'dy');
  requireFloat32(Conv2DBackpropFilter, 'x', x);
  requireFloat32(Conv2DBackpropFilter, 'dy', dy);
  const cpu = asCpu(backend);
  const info = backpropFilterInfo(x.shape as Shape4, dy.shape, attrs as unknown as Conv2DBackpropFilterAttrs);
  const dW = filterGradient(cpuF32(cpu, x), cpuF32(cpu, dy), info);
  return cpu.makeTensorInfo([...info.filterShape], 'float32', dW);
};

export const cpuConv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'cpu',
  kernelFunc: cpuConv2dBackpropFilter,
};
