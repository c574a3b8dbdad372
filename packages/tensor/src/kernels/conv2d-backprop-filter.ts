import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { simdFilterGradient } from './filter-gradient-simd';
import { geometryFromDy } from './geometry-from-dy';
import { gradWasm } from './grad-wasm';
import { geometryFromConvInfo, type Im2ColGeometry, im2colTransposed, patchSize } from './im2col';
import { nativeConv2dBackpropFilter } from './native-conv2d';
import { nativeAddon } from './native-kernels';
import { asWasm, heapF32, inputOf, requireFloat32, runWasmKernel, type WasmBackend } from './wasm-backend';

/** Most floats one patch matrix may hold (16 MiB); bigger batches are done a slice of samples at a time. */
let chunkLimit = 1 << 22;

/** For tests: a small limit forces the sliced path. Returns the previous limit. */
export function setIm2colChunkLimit(floats: number): number {
  const previous = chunkLimit;
  chunkLimit = floats;
  return previous;
}

/** dW[K, Cout] for samples [b0, b1): the patch matrix times the matching rows of dy, in WASM. */
function sliceGradient(
  wasm: WasmBackend,
  x: TensorInfo,
  dyRows: TensorInfo,
  g: Im2ColGeometry,
  b0: number,
  b1: number,
): TensorInfo {
  const m = (b1 - b0) * g.outHeight * g.outWidth;
  const cols = wasm.makeOutput([patchSize(g), m], 'float32');
  try {
    im2colTransposed(heapF32(wasm, x), g, b0, b1, heapF32(wasm, cols));
    return runWasmKernel('BatchMatMul', { a: cols, b: dyRows }, wasm, {
      transposeA: false,
      transposeB: false,
    });
  } finally {
    wasm.disposeData(cols.dataId);
  }
}

/** dy rows of samples [b0, b1) as their own tensor (the matmul kernel takes whole tensors only). */
function dyRowsOf(
  wasm: WasmBackend,
  dy: TensorInfo,
  rowsPerSample: number,
  b0: number,
  b1: number,
): TensorInfo {
  const cout = dy.shape[3];
  const part = wasm.makeOutput([(b1 - b0) * rowsPerSample, cout], 'float32');
  heapF32(wasm, part).set(heapF32(wasm, dy).subarray(b0 * rowsPerSample * cout, b1 * rowsPerSample * cout));
  return part;
}

function gradientNhwc(wasm: WasmBackend, x: TensorInfo, dy: TensorInfo, g: Im2ColGeometry): TensorInfo {
  const batch = dy.shape[0];
  const cout = dy.shape[3];
  const rows = g.outHeight * g.outWidth;
  const perSample = patchSize(g) * rows;
  const samplesPerSlice = Math.max(1, Math.floor(chunkLimit / Math.max(1, perSample)));
  if (samplesPerSlice >= batch) {
    const dyMatrix = { dataId: dy.dataId, shape: [batch * rows, cout], dtype: dy.dtype };
    return sliceGradient(wasm, x, dyMatrix, g, 0, batch);
  }
  const sum = new Float32Array(patchSize(g) * cout);
  for (let b0 = 0; b0 < batch; b0 += samplesPerSlice) {
    const b1 = Math.min(batch, b0 + samplesPerSlice);
    const part = dyRowsOf(wasm, dy, rows, b0, b1);
    try {
      const slice = sliceGradient(wasm, x, part, g, b0, b1);
      const values = heapF32(wasm, slice);
      for (let i = 0; i < sum.length; i++) sum[i] += values[i];
      wasm.disposeData(slice.dataId);
    } finally {
      wasm.disposeData(part.dataId);
    }
  }
  return wasm.makeOutput([patchSize(g), cout], 'float32', undefined, sum);
}

export type Shape4 = [number, number, number, number];

/** The convolution's geometry, its rounding worked out from dy (see geometryFromDy). */
export function backpropFilterInfo(
  xShape: Shape4,
  dyShape: number[],
  attrs: Conv2DBackpropFilterAttrs,
): backend_util.Conv2DInfo {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const make = (rounding: typeof dimRoundingMode) =>
    backend_util.computeConv2DInfo(
      xShape,
      filterShape,
      strides,
      1,
      pad,
      rounding,
      false,
      backend_util.convertConv2DDataFormat(dataFormat),
    );
  return geometryFromDy(Conv2DBackpropFilter, dyShape, dimRoundingMode, pad, make);
}

/**
 * The filter gradient of conv2d on WASM, which tfjs-backend-wasm 4.22 lacks. In Node with
 * descent's native kernels, NHWC from 8 input channels up runs in oneDNN or OpenBLAS
 * (native-conv2d.ts). Otherwise, NHWC with output channels a multiple of 4 (the usual case) runs WebAssembly SIMD tiles straight over x and dy
 * (filter-gradient-simd.ts); anything else builds the patch matrix on the host into the WASM
 * heap and lets the backend's own (XNNPACK) matmul do the FLOPs. Dilation is 1, as tfjs's
 * Conv2D gradient requires.
 */
export const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputOf(Conv2DBackpropFilter, inputs, 'x');
  const dy = inputOf(Conv2DBackpropFilter, inputs, 'dy');
  const wasm = asWasm(backend);
  requireFloat32(Conv2DBackpropFilter, 'x', x);
  requireFloat32(Conv2DBackpropFilter, 'dy', dy);
  const info = backpropFilterInfo(x.shape as Shape4, dy.shape, attrs as unknown as Conv2DBackpropFilterAttrs);
  // With few input channels (an image's first layer) the SIMD tiles below beat a native sgemm,
  // which must first build the patch matrix: 1 → 8 channels, 28×28, batch 64 took 0.19 ms in the
  // tiles and 0.34 ms in OpenBLAS. oneDNN's convolution primitive needs no patch matrix and beats
  // the tiles there too (0.145 ms against 0.22-0.24).
  const native =
    info.inChannels >= 8 || nativeAddon()?.convolutionPrimitives
      ? nativeConv2dBackpropFilter(wasm, x, dy, info)
      : undefined;
  if (native) return native;
  const kernels = gradWasm(wasm);
  const direct = kernels && simdFilterGradient(wasm, kernels, x, dy, info);
  if (direct) return { dataId: direct.dataId, shape: [...info.filterShape], dtype: 'float32' };
  const g = geometryFromConvInfo(info);
  // The matmul wants dy as [positions, Cout]; NCHW stores it channel-major, so transpose it first.
  const channelsLast = info.dataFormat === 'channelsLast';
  const dyNhwc = channelsLast ? dy : runWasmKernel('Transpose', { x: dy }, wasm, { perm: [0, 2, 3, 1] });
  try {
    const out = gradientNhwc(wasm, x, dyNhwc, g);
    return { dataId: out.dataId, shape: [...info.filterShape], dtype: 'float32' };
  } finally {
    if (!channelsLast) wasm.disposeData(dyNhwc.dataId);
  }
};

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
