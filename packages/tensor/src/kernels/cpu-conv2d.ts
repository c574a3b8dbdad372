import {
  backend_util,
  Conv2D,
  type Conv2DAttrs,
  FusedConv2D,
  type FusedConv2DAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { allFinite, asCpu, type CpuBackend, cpuF32, cpuKernelsOn, StockKernel } from './cpu-backend';
import { geometryFromConvInfo } from './im2col';

/**
 * y = conv(x, filter) (+ bias) for NHWC x and an [fh, fw, ci, co] filter, accumulated exactly as
 * tfjs-backend-cpu's Conv2D does (each product added into the float32 output, taps in row-major
 * order, then channels), so the results are bit-identical; the bias is then added once, as its
 * separate Add would. The loops run an output position at a time with its channels in a small
 * row, instead of sweeping the whole output once per filter row. With a finite filter, a zero
 * input (a digit's background, a ReLU's negatives) adds exactly nothing and is skipped.
 */
export function convolve(
  x: Float32Array,
  filter: Float32Array,
  bias: Float32Array | undefined,
  info: backend_util.Conv2DInfo,
): Float32Array {
  const g = geometryFromConvInfo(info);
  const { batchSize: n, outHeight: oh, outWidth: ow, inChannels: ci, outChannels: co } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const y = new Float32Array(n * oh * ow * co);
  const skipZeros = allFinite(filter);
  const acc = new Float32Array(co);
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        acc.fill(0);
        for (let kh = 0; kh < fh; kh++) {
          const ih = r * sh - g.padTop + kh * g.dilationHeight;
          if (ih < 0 || ih >= g.inHeight) continue;
          for (let kw = 0; kw < fw; kw++) {
            const iw = q * sw - g.padLeft + kw * g.dilationWidth;
            if (iw < 0 || iw >= g.inWidth) continue;
            const xAt = b * g.batchStride + ih * g.rowStride + iw * g.colStride;
            let w = (kh * fw + kw) * ci * co;
            for (let c = 0; c < ci; c++, w += co) {
              const v = x[xAt + c];
              if (v === 0 && skipZeros) continue;
              for (let o = 0; o < co; o++) acc[o] += v * filter[w + o];
            }
          }
        }
        const at = ((b * oh + r) * ow + q) * co;
        if (bias) for (let o = 0; o < co; o++) y[at + o] = acc[o] + bias[bias.length === 1 ? 0 : o];
        else y.set(acc, at);
      }
    }
  }
  return y;
}

type ConvArgs = Parameters<KernelFunc>[0];

/** Null where ours does not apply (NCHW, a non-float32 input): the caller then runs tfjs's kernel. */
function run(args: ConvArgs, attrs: Conv2DAttrs, bias?: TensorInfo): TensorInfo | null {
  const { x, filter } = args.inputs as { x?: TensorInfo; filter?: TensorInfo };
  if (x == null || filter == null || x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  if (x.shape.length !== 4 || filter.shape.length !== 4 || attrs.dataFormat === 'NCHW') return null;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (bias && bias.shape.reduce((a, b) => a * b, 1) !== info.outChannels && bias.shape.join() !== '1')
    return null;
  const cpu: CpuBackend = asCpu(args.backend);
  const y = convolve(cpuF32(cpu, x), cpuF32(cpu, filter), bias && cpuF32(cpu, bias), info);
  return cpu.makeTensorInfo([...info.outShape], 'float32', y);
}

export const stockConv2d = new StockKernel(Conv2D);
export const stockFusedConv2d = new StockKernel(FusedConv2D);

/**
 * Conv2D for tfjs's cpu backend: the same sums as its own, bit for bit, 5–10× faster on a small
 * CNN's layers (most of it from skipping zero inputs). NCHW goes to tfjs's kernel, as does
 * everything when `DESCENT_CPU_KERNELS` is false.
 */
export const cpuConv2d: KernelFunc = (args) => {
  if (!cpuKernelsOn()) return stockConv2d.run(args);
  return run(args, args.attrs as unknown as Conv2DAttrs) ?? stockConv2d.run(args);
};

/**
 * FusedConv2D (convolution plus bias) for the cpu backend, with the bias added in the same pass.
 * Only the linear activation is ours; any other goes to tfjs's kernel whole.
 */
export const cpuFusedConv2d: KernelFunc = (args) => {
  const attrs = args.attrs as unknown as FusedConv2DAttrs;
  if (!cpuKernelsOn() || (attrs.activation != null && attrs.activation !== 'linear'))
    return stockFusedConv2d.run(args);
  const { bias } = args.inputs as { bias?: TensorInfo };
  if (bias != null && bias.dtype !== 'float32') return stockFusedConv2d.run(args);
  return run(args, attrs, bias) ?? stockFusedConv2d.run(args);
};

export const cpuConv2dConfig: KernelConfig = {
  kernelName: Conv2D,
  backendName: 'cpu',
  kernelFunc: cpuConv2d,
};
export const cpuFusedConv2dConfig: KernelConfig = {
  kernelName: FusedConv2D,
  backendName: 'cpu',
  kernelFunc: cpuFusedConv2d,
};
