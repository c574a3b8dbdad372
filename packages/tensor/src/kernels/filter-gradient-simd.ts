import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import type { GradWasm } from './grad-wasm';
import type { WasmBackend } from './wasm-backend';

/** Taps (x values) and output channels one tile call covers at most: see wasm/generate.mjs. */
const TAPS = 4;
const CHANNELS = 8;

/**
 * x laid out so that every tap of every output position reads inside it: zero padding added on
 * all sides where the convolution pads. Returns x itself when it needs none (no padding; a
 * remainder row or column that no window reaches is simply never read).
 */
function paddedInput(
  wasm: WasmBackend,
  kernels: GradWasm,
  x: TensorInfo,
  info: backend_util.Conv2DInfo,
): { data: TensorInfo; height: number; width: number; owned: boolean } {
  const [n, h, w, c] = x.shape;
  const { top, left } = info.padInfo;
  const height = (info.outHeight - 1) * info.strideHeight + info.filterHeight;
  const width = (info.outWidth - 1) * info.strideWidth + info.filterWidth;
  if (top === 0 && left === 0 && height <= h && width <= w)
    return { data: x, height: h, width: w, owned: false };
  const data = wasm.makeOutput([n, height, width, c], 'float32');
  kernels.pad(kernels.offset(x), kernels.offset(data), n, h, w, c * 4, height, width, top, left);
  return { data, height, width, owned: true };
}

/**
 * The filter gradient of an NHWC conv2d (dilation 1) straight from x and dy, with no patch
 * matrix: dW[kh, kw, ci, co] = Σ x[b, i·sh + kh − top, j·sw + kw − left, ci] · dy[b, i, j, co].
 * For one kernel row kh, the taps (kw, ci) of an output position are fw·ci consecutive floats of
 * x, so WebAssembly SIMD tiles take up to 4 of them against 8 channels of dy at a time, one
 * sample at a time (its x and dy stay in cache while every tile passes over it). The sums run
 * in float32, over the samples in order. Undefined when the output channels are not a multiple
 * of 4 (the caller falls back to im2col and matmul).
 */
export function simdFilterGradient(
  wasm: WasmBackend,
  kernels: GradWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | undefined {
  const co = info.outChannels;
  if (info.dataFormat !== 'channelsLast' || co % 4 !== 0) return undefined;
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return undefined;
  const n = x.shape[0];
  const ci = info.inChannels;
  const { outHeight: oh, outWidth: ow, filterHeight: fh, filterWidth: fw } = info;
  const out = wasm.makeOutput([fh, fw, ci, co], 'float32');
  const input = paddedInput(wasm, kernels, x, info);
  try {
    const outAt = kernels.offset(out);
    kernels.heap().fill(0, outAt >> 2, (outAt >> 2) + fh * fw * ci * co);
    if (n === 0 || oh === 0 || ow === 0) return out;
    const taps = fw * ci;
    const rowBytes = input.width * ci * 4;
    const sampleBytes = input.height * rowBytes;
    const xRow = info.strideHeight * rowBytes;
    const xCol = info.strideWidth * ci * 4;
    const dyCol = co * 4;
    const dySample = oh * ow * dyCol;
    const xAt = kernels.offset(input.data);
    const dyAt = kernels.offset(dy);
    for (let b = 0; b < n; b++) {
      for (let kh = 0; kh < fh; kh++) {
        const xk = xAt + b * sampleBytes + kh * rowBytes;
        for (let r = 0; r < taps; r += TAPS) {
          const row = kernels.tiles[Math.min(TAPS, taps - r) - 1];
          for (let c = 0; c < co; c += CHANNELS) {
            row[Math.min(CHANNELS, co - c) / 4 - 1](
              xk + r * 4,
              dyAt + b * dySample + c * 4,
              outAt + ((kh * taps + r) * co + c) * 4,
              oh,
              ow,
              xRow,
              xCol,
              dyCol,
              dyCol,
            );
          }
        }
      }
    }
    return out;
  } finally {
    if (input.owned) wasm.disposeData(input.data.dataId);
  }
}
