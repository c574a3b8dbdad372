import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { allFinite, asCpu, cpuF32, cpuKernelsOn, StockKernel } from './cpu-backend';

/**
 * dx[b, ih, iw, ci] = Σ over the outputs (oh, ow) whose window covers (ih, iw), and over co, of
 * dy[b, oh, ow, co] · filter[kh, kw, ci, co]. Each sum runs in float64 in tfjs-backend-cpu's order
 * ((oh, ow) row-major, then co) and is rounded once, so the two agree bit for bit; ours keeps all
 * ci sums of a cell side by side so that each dy row is read once per tap, not once per channel.
 * With a finite filter, a dy row of zeros (three in four after a 2×2 max pool) is skipped.
 */
export function inputGradient(
  dy: Float32Array,
  filter: Float32Array,
  info: backend_util.Conv2DInfo,
): Float32Array {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outChannels: co } = info;
  const { outHeight: oh, outWidth: ow, filterHeight: fh, filterWidth: fw } = info;
  const { strideHeight: sh, strideWidth: sw } = info;
  const topPad = fh - 1 - info.padInfo.top;
  const leftPad = fw - 1 - info.padInfo.left;
  const skip = allFinite(filter);
  // Which dy rows (one output position's co values) hold anything but zeros.
  const live = new Uint8Array(n * oh * ow);
  for (let p = 0; p < live.length; p++) {
    let any = !skip;
    for (let o = 0; o < co && !any; o++) any = dy[p * co + o] !== 0;
    live[p] = any ? 1 : 0;
  }
  const dx = new Float32Array(n * h * w * ci);
  const sums = new Float64Array(ci);
  for (let b = 0; b < n; b++) {
    for (let xr = 0; xr < h; xr++) {
      const rCorner = xr - topPad;
      const rMin = Math.max(0, Math.ceil(rCorner / sh));
      const rMax = Math.min(oh, (fh + rCorner) / sh);
      for (let xc = 0; xc < w; xc++) {
        const cCorner = xc - leftPad;
        const cMin = Math.max(0, Math.ceil(cCorner / sw));
        const cMax = Math.min(ow, (fw + cCorner) / sw);
        sums.fill(0);
        for (let r = rMin; r < rMax; r++) {
          const kh = fh - 1 - (r * sh - rCorner);
          for (let q = cMin; q < cMax; q++) {
            const p = (b * oh + r) * ow + q;
            if (live[p] === 0) continue;
            const kw = fw - 1 - (q * sw - cCorner);
            const dyAt = p * co;
            let f = (kh * fw + kw) * ci * co;
            for (let c = 0; c < ci; c++, f += co) {
              let s = sums[c];
              for (let o = 0; o < co; o++) s += dy[dyAt + o] * filter[f + o];
              sums[c] = s;
            }
          }
        }
        dx.set(sums, ((b * h + xr) * w + xc) * ci);
      }
    }
  }
  return dx;
}

export const stockInputGradient = new StockKernel(Conv2DBackpropInput);

/**
 * Conv2DBackpropInput for tfjs's cpu backend, replacing its own (same sums, bit for bit). NHWC
 * only; NCHW, and everything when `DESCENT_CPU_KERNELS` is false, runs tfjs's kernel.
 */
export const cpuConv2dBackpropInput: KernelFunc = (args) => {
  const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
  const { dy, filter } = args.inputs as { dy?: TensorInfo; filter?: TensorInfo };
  if (
    !cpuKernelsOn() ||
    dy == null ||
    filter == null ||
    dy.dtype !== 'float32' ||
    filter.dtype !== 'float32' ||
    attrs.dataFormat === 'NCHW'
  )
    return stockInputGradient.run(args);
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  // A dy that does not fit the geometry gets tfjs's own handling (and its error).
  if (info.outShape.join() !== dy.shape.join()) return stockInputGradient.run(args);
  const cpu = asCpu(args.backend);
  const dx = inputGradient(cpuF32(cpu, dy), cpuF32(cpu, filter), info);
  return cpu.makeTensorInfo([...info.inShape], 'float32', dx);
};

export const cpuConv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'cpu',
  kernelFunc: cpuConv2dBackpropInput,
};
