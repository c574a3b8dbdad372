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
import { type NativeHeap, nativeHeap } from './native-kernels';
import { asWasm, inputOf, type WasmBackend } from './wasm-backend';

type Shape4 = [number, number, number, number];

/** The 15 figures of descent-native.c's conv_t, in its order; undefined for a layout it lacks. */
export function geometry(info: backend_util.Conv2DInfo): number[] | undefined {
  if (info.dataFormat !== 'channelsLast') return undefined;
  const g = [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
  // An empty side is left to the WASM kernels, which already handle it; pads are never negative.
  const sizes = g.slice(0, 13).every((v) => Number.isInteger(v) && v > 0);
  const pads = g.slice(13).every((v) => Number.isInteger(v) && v >= 0);
  return sizes && pads ? g : undefined;
}

function float32(...infos: TensorInfo[]): boolean {
  return infos.every((t) => t.dtype === 'float32');
}

/**
 * Runs one of the addon's convolution functions into a new float32 output of `shape` (freed again
 * if the addon throws). Undefined where the native kernels do not run, or for inputs they do not
 * take (another dtype or layout, an empty side).
 */
function runNative(
  wasm: WasmBackend,
  info: backend_util.Conv2DInfo,
  inputs: TensorInfo[],
  shape: number[],
  call: (heap: NativeHeap, out: TensorInfo, geometry: number[]) => void,
): TensorInfo | undefined {
  const g = geometry(info);
  const heap = g && float32(...inputs) ? nativeHeap(wasm) : undefined;
  if (heap == null || g == null) return undefined;
  const out = wasm.makeOutput(shape, 'float32');
  try {
    call(heap, out, g);
    return out;
  } catch (error) {
    wasm.disposeData(out.dataId);
    throw error;
  }
}

/**
 * y = conv(x, filter) (+ bias, then ReLU when asked) for NHWC x and filter [fh, fw, in, out]: each
 * sample's patches in a matrix, times the filter by the native sgemm, then the bias and the ReLU
 * in one pass. Undefined where the native kernels do not run or do not apply.
 */
export function nativeConv2d(
  wasm: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  bias?: TensorInfo,
  relu = false,
): TensorInfo | undefined {
  if (bias && bias.shape.reduce((p, d) => p * d, 1) !== info.outChannels) return undefined;
  const inputs = bias ? [x, filter, bias] : [x, filter];
  return runNative(wasm, info, inputs, info.outShape, (heap, out, g) =>
    heap.addon.conv2d(
      heap.buffer(),
      heap.offset(x),
      heap.offset(filter),
      bias ? heap.offset(bias) : 0,
      bias ? 1 : 0,
      relu ? 1 : 0,
      heap.offset(out),
      ...g,
    ),
  );
}

/** dx of conv2d for NHWC dy: dy times the filter's transpose by the native sgemm, each patch added back to x's cells. */
export function nativeConv2dBackpropInput(
  wasm: WasmBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | undefined {
  return runNative(wasm, info, [dy, filter], info.inShape, (heap, dx, g) =>
    heap.addon.conv2dBackpropInput(
      heap.buffer(),
      heap.offset(dy),
      heap.offset(filter),
      heap.offset(dx),
      ...g,
    ),
  );
}

/** dW of conv2d for NHWC x and dy: the patches' transpose times dy by the native sgemm, summed over the batch. */
export function nativeConv2dBackpropFilter(
  wasm: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | undefined {
  return runNative(wasm, info, [x, dy], [...info.filterShape], (heap, dw, g) =>
    heap.addon.conv2dBackpropFilter(heap.buffer(), heap.offset(x), heap.offset(dy), heap.offset(dw), ...g),
  );
}

/** tfjs-backend-wasm's Conv2D and FusedConv2D (XNNPACK), kept for what the native kernel leaves to them. */
const stock = new Map<string, KernelConfig>();

export function keepStockConv(original: KernelConfig): void {
  stock.set(original.kernelName, original);
}

function stockRun(name: string, args: Parameters<KernelFunc>[0]): ReturnType<KernelFunc> {
  const original = stock.get(name);
  if (original == null) throw new Error(`${name}: expected tfjs's wasm kernel kept, found none`);
  return original.kernelFunc(args);
}

function convInfo(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs): backend_util.Conv2DInfo {
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs;
  return backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filter.shape as Shape4,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
}

/** Conv2D on wasm: the native kernel where it runs, tfjs's otherwise. */
export const nativeConv2dConfig: KernelConfig = {
  kernelName: Conv2D,
  backendName: 'wasm',
  kernelFunc: function nativeConv2dKernel(args) {
    const x = inputOf(Conv2D, args.inputs, 'x');
    const filter = inputOf(Conv2D, args.inputs, 'filter');
    const info = convInfo(x, filter, args.attrs as unknown as Conv2DAttrs);
    return nativeConv2d(asWasm(args.backend), x, filter, info) ?? stockRun(Conv2D, args);
  },
  setupFunc: (backend) => stock.get(Conv2D)?.setupFunc?.(backend),
};

/** FusedConv2D on wasm: the native kernel for a bias and a linear or ReLU activation, tfjs's otherwise. */
export const nativeFusedConv2dConfig: KernelConfig = {
  kernelName: FusedConv2D,
  backendName: 'wasm',
  kernelFunc: function nativeFusedConv2dKernel(args) {
    const x = inputOf(FusedConv2D, args.inputs, 'x');
    const filter = inputOf(FusedConv2D, args.inputs, 'filter');
    const { bias, preluActivationWeights } = args.inputs;
    const attrs = args.attrs as unknown as FusedConv2DAttrs;
    const activation = attrs.activation ?? 'linear';
    if (preluActivationWeights == null && (activation === 'linear' || activation === 'relu')) {
      const info = convInfo(x, filter, attrs);
      const y = nativeConv2d(asWasm(args.backend), x, filter, info, bias ?? undefined, activation === 'relu');
      if (y) return y;
    }
    return stockRun(FusedConv2D, args);
  },
  setupFunc: (backend) => stock.get(FusedConv2D)?.setupFunc?.(backend),
};
