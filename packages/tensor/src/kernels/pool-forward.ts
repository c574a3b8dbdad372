import {
  AvgPool,
  type AvgPoolAttrs,
  backend_util,
  type KernelConfig,
  type KernelFunc,
  MaxPool,
  type MaxPoolAttrs,
} from '@tensorflow/tfjs-core';
import { asWasm, heapF32, inputOf, requireFloat32 } from './wasm-backend';

/**
 * Max or average pooling (NHWC, dilation 1) on host arrays, as tfjs's cpu backend computes it:
 * padding and cells past the input are left out, the max takes the first strict `>` from -∞
 * (NaN is skipped), the average divides by the cells inside (a window with none gives NaN).
 */
export function poolForward(
  x: Float32Array,
  out: Float32Array,
  info: backend_util.Conv2DInfo,
  type: 'max' | 'avg',
): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { top, left } = info.padInfo;
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < oh; r++) {
      const rLo = Math.max(0, r * sh - top);
      const rHi = Math.min(h, r * sh - top + fh);
      for (let q = 0; q < ow; q++) {
        const cLo = Math.max(0, q * sw - left);
        const cHi = Math.min(w, q * sw - left + fw);
        for (let k = 0; k < c; k++, o++) {
          let max = Number.NEGATIVE_INFINITY;
          let sum = 0;
          let count = 0;
          for (let ih = rLo; ih < rHi; ih++) {
            for (let iw = cLo; iw < cHi; iw++) {
              const v = x[((b * h + ih) * w + iw) * c + k];
              if (v > max) max = v;
              sum += v;
              count++;
            }
          }
          out[o] = type === 'max' ? max : sum / count;
        }
      }
    }
  }
}

/**
 * Whether XNNPACK, which sizes its output as floor((in + pads - filter) / stride) + 1, makes the
 * shape tfjs allocated. A numeric pad with dimRoundingMode 'ceil' or 'round' can ask for one more
 * row or column; tfjs-backend-wasm 4.22 then returns values from a differently-strided output
 * and can write past the tensor, corrupting the WASM heap.
 */
export function xnnpackSizesMatch(info: backend_util.Conv2DInfo): boolean {
  const { top, bottom, left, right } = info.padInfo;
  const rows =
    Math.floor((info.inHeight + top + bottom - info.effectiveFilterHeight) / info.strideHeight) + 1;
  const cols = Math.floor((info.inWidth + left + right - info.effectiveFilterWidth) / info.strideWidth) + 1;
  return rows === info.outHeight && cols === info.outWidth;
}

/** tfjs's own (XNNPACK) pooling kernels, kept for every geometry they size correctly. */
const xnnpack = new Map<string, KernelConfig>();

/** Called with tfjs's kernel when ours replaces it. */
export function keepXnnpackPool(original: KernelConfig): void {
  xnnpack.set(original.kernelName, original);
}

function pooling(name: typeof MaxPool | typeof AvgPool, type: 'max' | 'avg'): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputOf(name, inputs, 'x');
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolAttrs | AvgPoolAttrs;
    requireFloat32(name, 'x', x);
    if (x.shape.length !== 4)
      throw new Error(`${name}: x: expected rank 4 (NHWC), found shape [${x.shape.join(', ')}]`);
    const info = backend_util.computePool2DInfo(
      x.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const original = xnnpack.get(name);
    if (original != null && xnnpackSizesMatch(info)) return original.kernelFunc(args);
    const wasm = asWasm(backend);
    const out = wasm.makeOutput([...info.outShape], 'float32');
    poolForward(heapF32(wasm, x), heapF32(wasm, out), info, type);
    return out;
  };
}

const setup = (name: string) => (backend: unknown) => xnnpack.get(name)?.setupFunc?.(backend as never);

/** MaxPool for wasm: tfjs's XNNPACK kernel, except where it would size the output wrongly. */
export const maxPoolConfig: KernelConfig = {
  kernelName: MaxPool,
  backendName: 'wasm',
  kernelFunc: pooling(MaxPool, 'max'),
  setupFunc: setup(MaxPool),
};

/** AvgPool for wasm: tfjs's XNNPACK kernel, except where it would size the output wrongly. */
export const avgPoolConfig: KernelConfig = {
  kernelName: AvgPool,
  backendName: 'wasm',
  kernelFunc: pooling(AvgPool, 'avg'),
  setupFunc: setup(AvgPool),
};
