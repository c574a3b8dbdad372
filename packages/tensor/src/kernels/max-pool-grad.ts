import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { geometryFromDy } from './geometry-from-dy';
import { type GradWasm, gradWasm } from './grad-wasm';
import { asWasm, heapF32, inputOf, requireFloat32 } from './wasm-backend';

/**
 * The gradient of max pooling (NHWC, dilation 1) written into `dx`: each dy entry goes to the
 * first largest input of its window, cells read in row-major window order and padding skipped,
 * exactly as tfjs's cpu backend decides (a strict `>` from -∞, so a window of NaN or -∞ only
 * passes no gradient). One pass over the outputs: the argmax is found from `x`, then dy is added
 * there. `x`, `dy` and `dx` may be views of the WASM heap; `dx` is overwritten.
 */
export function maxPoolBackward(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  info: backend_util.Conv2DInfo,
): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh } = info;
  const size = n * h * w * c;
  if (x.length < size || dx.length < size || dy.length < n * oh * ow * c)
    throw new Error('maxPoolBackward: x, dy or dx is smaller than the pooling geometry needs');
  // Overlapping windows can send several dy values to one cell. The cpu backend sums those in a
  // float64, in output order, and rounds once; doing the same here gives bit-identical results.
  // Windows never span two samples, so one sample's worth of float64 is enough.
  if (fh > sh || info.effectiveFilterWidth > sw) {
    const sample = h * w * c;
    const sums = new Float64Array(sample);
    for (let b = 0; b < n; b++) {
      sums.fill(0);
      scatter(x, dy, sums, info, b, b * sample);
      dx.set(sums, b * sample);
    }
  } else {
    dx.fill(0, 0, size);
    for (let b = 0; b < n; b++) scatter(x, dy, dx, info, b, 0);
  }
}

/** Adds the dy entries of sample b onto their windows' argmax in `sums`, at index (flat x index − shift). */
function scatter(
  x: Float32Array,
  dy: Float32Array,
  sums: Float32Array | Float64Array,
  info: backend_util.Conv2DInfo,
  b: number,
  shift: number,
): void {
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { top, left } = info.padInfo;
  let o = b * oh * ow * c;
  for (let r = 0; r < oh; r++) {
    const rLo = Math.max(0, r * sh - top);
    const rHi = Math.min(h, r * sh - top + fh);
    for (let q = 0; q < ow; q++) {
      const cLo = Math.max(0, q * sw - left);
      const cHi = Math.min(w, q * sw - left + fw);
      const corner = ((b * h + rLo) * w + cLo) * c;
      // One channel at a time: a scalar running max, cells c apart within a row.
      for (let k = 0; k < c; k++, o++) {
        let max = Number.NEGATIVE_INFINITY;
        let at = -1;
        for (let ih = rLo, row = corner + k; ih < rHi; ih++, row += w * c) {
          for (let iw = cLo, i = row; iw < cHi; iw++, i += c) {
            const v = x[i];
            if (v > max) {
              max = v;
              at = i;
            }
          }
        }
        if (at >= 0) sums[at - shift] += dy[o];
      }
    }
  }
}

/** The pooling geometry, its rounding worked out from dy (see geometryFromDy). */
export function poolInfo(
  xShape: [number, number, number, number],
  dyShape: number[],
  attrs: MaxPoolGradAttrs,
): backend_util.Conv2DInfo {
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const make = (rounding: typeof dimRoundingMode) =>
    backend_util.computePool2DInfo(xShape, filterSize, strides, 1, pad, rounding);
  return geometryFromDy(MaxPoolGrad, dyShape, dimRoundingMode, pad, make);
}

/**
 * The common pooling of CNNs (windows that do not overlap, e.g. 2×2 stride 2) with channels a
 * multiple of 4, in WebAssembly SIMD: four channels of a window at once, same decision rule as
 * `maxPoolBackward`. Each input cell belongs to at most one window, so every dx cell is written
 * once and nothing is summed. False when the shape does not qualify.
 */
function simdMaxPoolBackward(
  kernels: GradWasm,
  x: TensorInfo,
  dy: TensorInfo,
  dx: TensorInfo,
  info: backend_util.Conv2DInfo,
): boolean {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { top, left } = info.padInfo;
  if (c % 4 !== 0 || fh > sh || fw > sw) return false;
  if (n * h * w * c === 0) return true;
  // The kernel writes the cells of every window; the rest (gaps between windows, a remainder row
  // or column past the last window) must read 0.
  const tiled = fh === sh && fw === sw && (oh - 1) * sh - top + fh >= h && (ow - 1) * sw - left + fw >= w;
  const at = kernels.offset(dx);
  if (!tiled) kernels.heap().fill(0, at >> 2, (at >> 2) + n * h * w * c);
  kernels.maxPoolGrad(
    kernels.offset(x),
    kernels.offset(dy),
    at,
    n,
    h,
    w,
    c / 4,
    oh,
    ow,
    fh,
    fw,
    sh,
    sw,
    top,
    left,
  );
  return true;
}

/**
 * MaxPoolGrad for the WASM backend, replacing tfjs-backend-wasm 4.22's own: that one sends the
 * gradient of a window whose values are all negative to the wrong cell (and loses the rest), and
 * it rescans every window for every input cell. The `output` input is not needed: the argmax is
 * recomputed from `input`, so ties and NaN are settled as on the cpu backend. Non-overlapping
 * windows over channels in fours (a CNN's 2×2 stride-2 pool) run in WebAssembly SIMD; the rest
 * in the JavaScript loop above. Both give the cpu backend's dx bit for bit.
 */
export const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputOf(MaxPoolGrad, inputs, 'dy');
  const x = inputOf(MaxPoolGrad, inputs, 'input');
  const wasm = asWasm(backend);
  requireFloat32(MaxPoolGrad, 'input', x);
  requireFloat32(MaxPoolGrad, 'dy', dy);
  if (x.shape.length !== 4)
    throw new Error(`${MaxPoolGrad}: input: expected rank 4 (NHWC), found shape [${x.shape.join(', ')}]`);
  const info = poolInfo(
    x.shape as [number, number, number, number],
    dy.shape,
    attrs as unknown as MaxPoolGradAttrs,
  );
  const out = wasm.makeOutput([...x.shape], 'float32');
  const kernels = gradWasm(wasm);
  if (kernels && simdMaxPoolBackward(kernels, x, dy, out, info)) return out;
  maxPoolBackward(heapF32(wasm, x), heapF32(wasm, dy), heapF32(wasm, out), info);
  return out;
};

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};
