import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { col2imAdd } from './col2im';
import { geometryFromConvInfo, type Im2ColGeometry, patchSize } from './im2col';
import { nativeConv2dBackpropInput } from './native-conv2d';
import { asWasm, heapF32, inputOf, requireFloat32, runWasmKernel, type WasmBackend } from './wasm-backend';

/** Most floats one patch matrix may hold (16 MiB); bigger batches go a slice of samples at a time. */
let chunkLimit = 1 << 22;
/** 'auto' takes the convolution route where it applies; tests force 'col2im' to cover that route too. */
let strategy: 'auto' | 'col2im' = 'auto';

/** For tests: a small limit forces the sliced col2im route. Returns the previous limit. */
export function setCol2imChunkLimit(floats: number): number {
  const previous = chunkLimit;
  chunkLimit = floats;
  return previous;
}

/** For tests and benchmarks: which route stride-1 gradients take. Returns the previous choice. */
export function setBackpropInputStrategy(next: 'auto' | 'col2im'): 'auto' | 'col2im' {
  const previous = strategy;
  strategy = next;
  return previous;
}

type Pads = [number, number, number, number];

/**
 * Stride 1: dx is dy convolved with the filter turned 180° and its channel axes swapped, padded so
 * that the output is x's size. Null when that padding would be negative (a pad wider than the
 * filter), which the col2im route handles instead.
 */
function transposedPads(info: backend_util.Conv2DInfo): Pads | null {
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return null;
  const top = info.filterHeight - 1 - info.padInfo.top;
  const left = info.filterWidth - 1 - info.padInfo.left;
  const bottom = info.inHeight - info.outHeight + info.filterHeight - 1 - top;
  const right = info.inWidth - info.outWidth + info.filterWidth - 1 - left;
  return Math.min(top, left, bottom, right) < 0 ? null : [top, bottom, left, right];
}

/** The flipped filter [fh, fw, Cout, Cin] as a heap tensor, ready for the backend's Conv2D. */
function flippedFilter(wasm: WasmBackend, filter: TensorInfo): TensorInfo {
  const [fh, fw, ci, co] = filter.shape;
  const out = wasm.makeOutput([fh, fw, co, ci], 'float32');
  const src = heapF32(wasm, filter);
  const dst = heapF32(wasm, out);
  for (let kh = 0; kh < fh; kh++) {
    for (let kw = 0; kw < fw; kw++) {
      const from = (kh * fw + kw) * ci * co;
      const to = ((fh - 1 - kh) * fw + (fw - 1 - kw)) * co * ci;
      for (let c = 0; c < ci; c++) for (let o = 0; o < co; o++) dst[to + o * ci + c] = src[from + c * co + o];
    }
  }
  return out;
}

/** The backend's XNNPACK convolution does the work; only the tiny filter is rearranged here. */
function viaConvolution(wasm: WasmBackend, dy: TensorInfo, filter: TensorInfo, pads: Pads): TensorInfo {
  const flipped = flippedFilter(wasm, filter);
  try {
    const [top, bottom, left, right] = pads;
    return runWasmKernel('Conv2D', { x: dy, filter: flipped }, wasm, {
      strides: 1,
      dilations: 1,
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    });
  } finally {
    wasm.disposeData(flipped.dataId);
  }
}

/** Any stride or padding: the patch matrix dy·Wᵀ [M, K] from the backend's matmul, added back by col2im. */
function viaCol2im(wasm: WasmBackend, dy: TensorInfo, filter: TensorInfo, g: Im2ColGeometry): TensorInfo {
  const [, , ci, co] = filter.shape;
  const k = patchSize(g);
  const batch = dy.shape[0];
  const rows = g.outHeight * g.outWidth;
  // W is [K, Cout]; the matmul runs fastest without transposes, so Wᵀ [Cout, K] is written out.
  const wT = wasm.makeOutput([co, k], 'float32');
  const out = wasm.makeOutput([batch, g.inHeight, g.inWidth, ci], 'float32');
  try {
    const w = heapF32(wasm, filter);
    const t = heapF32(wasm, wT);
    for (let r = 0; r < k; r++) for (let o = 0; o < co; o++) t[o * k + r] = w[r * co + o];
    heapF32(wasm, out).fill(0);
    const samplesPerSlice = Math.max(1, Math.floor(chunkLimit / Math.max(1, rows * k)));
    for (let b0 = 0; b0 < batch; b0 += samplesPerSlice) {
      const b1 = Math.min(batch, b0 + samplesPerSlice);
      const whole = b0 === 0 && b1 === batch;
      const part = whole ? dy : wasm.makeOutput([(b1 - b0) * rows, co], 'float32');
      if (!whole) heapF32(wasm, part).set(heapF32(wasm, dy).subarray(b0 * rows * co, b1 * rows * co));
      try {
        const a = { dataId: part.dataId, shape: [(b1 - b0) * rows, co], dtype: 'float32' as const };
        const cols = runWasmKernel('BatchMatMul', { a, b: wT }, wasm, {
          transposeA: false,
          transposeB: false,
        });
        col2imAdd(heapF32(wasm, cols), g, b0, b1, heapF32(wasm, out));
        wasm.disposeData(cols.dataId);
      } finally {
        if (!whole) wasm.disposeData(part.dataId);
      }
    }
    return out;
  } catch (error) {
    wasm.disposeData(out.dataId);
    throw error;
  } finally {
    wasm.disposeData(wT.dataId);
  }
}

/**
 * The input gradient of conv2d (and the forward of conv2dTranspose) on WASM, replacing
 * tfjs-backend-wasm 4.22's plain loops. In Node with descent's native kernels it runs in oneDNN or OpenBLAS
 * (native-conv2d.ts); otherwise stride 1 runs as the backend's own XNNPACK convolution
 * of dy with the flipped filter; other strides as a matmul plus col2im. NCHW is transposed to
 * NHWC and back.
 */
export const conv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputOf(Conv2DBackpropInput, inputs, 'dy');
  const filter = inputOf(Conv2DBackpropInput, inputs, 'filter');
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    attrs as unknown as Conv2DBackpropInputAttrs;
  const wasm = asWasm(backend);
  requireFloat32(Conv2DBackpropInput, 'dy', dy);
  requireFloat32(Conv2DBackpropInput, 'filter', filter);
  const channelsLast = backend_util.convertConv2DDataFormat(dataFormat) === 'channelsLast';
  const [n, a, b, c] = inputShape;
  const nhwcShape: [number, number, number, number] = channelsLast ? [n, a, b, c] : [n, b, c, a];
  const info = backend_util.computeConv2DInfo(
    nhwcShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const dyNhwc = channelsLast ? dy : runWasmKernel('Transpose', { x: dy }, wasm, { perm: [0, 2, 3, 1] });
  try {
    if (dyNhwc.shape.join() !== info.outShape.join())
      throw new Error(
        `${Conv2DBackpropInput}: dy: expected shape [${info.outShape.join(', ')}] (NHWC), found [${dyNhwc.shape.join(', ')}]`,
      );
    // Native where descent's native kernels run (native-conv2d.ts); tests force 'col2im' past it.
    const native = strategy === 'auto' ? nativeConv2dBackpropInput(wasm, dyNhwc, filter, info) : undefined;
    const pads = strategy === 'auto' ? transposedPads(info) : null;
    let dx: TensorInfo;
    if (native) {
      dx = native;
    } else if (nhwcShape.includes(0) || dy.shape.includes(0)) {
      dx = wasm.makeOutput(nhwcShape, 'float32');
      heapF32(wasm, dx).fill(0);
    } else if (pads != null) {
      dx = viaConvolution(wasm, dyNhwc, filter, pads);
    } else {
      dx = viaCol2im(wasm, dyNhwc, filter, geometryFromConvInfo(info));
    }
    if (channelsLast) return dx;
    const nchw = runWasmKernel('Transpose', { x: dx }, wasm, { perm: [0, 3, 1, 2] });
    wasm.disposeData(dx.dataId);
    return nchw;
  } finally {
    if (!channelsLast) wasm.disposeData(dyNhwc.dataId);
  }
};

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput,
};
