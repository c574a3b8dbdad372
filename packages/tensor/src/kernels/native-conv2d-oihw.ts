import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import type { ConvPad } from './conv2d-channels-last';
import { geometry } from './native-conv2d';
import { type NativeHeap, nativeHeap } from './native-kernels';
import { asWasm, inputOf, type WasmBackend } from './wasm-backend';

/**
 * A channels-last convolution with PyTorch's weight layout [out, in, kh, kw], straight in oneDNN's
 * primitives (native/onednn-conv.c), for conv2d-channels-last.ts. Through tfjs's kernel names the
 * weight is transposed to [kh, kw, in, out] every call forward, and its gradient back, and the
 * bias's gradient is a pass of its own over dy; here oneDNN reads and writes PyTorch's layout
 * itself (its filter reorder takes any layout), and its weight gradient sums the bias's in the
 * same pass. `nativeConv2dOihw` is undefined, and `nativeConvGradientsRun` false, where they do
 * not run (not WASM in Node, no oneDNN, a geometry oneDNN refuses); the caller then takes the
 * transposing route.
 */
const GRAD = 'DescentConv2dNhwcOihwGrad';
const INPUT_GRAD = 'DescentConv2dNhwcOihwInputGrad';

interface ConvAttrs {
  strides: [number, number];
  pad: ConvPad;
}

/** descent-native.c's 15 geometry figures for NHWC x [N, H, W, in] and weight [out, in, kh, kw]. */
function geometryOf(xShape: number[], weight: tf.TensorInfo, { strides, pad }: ConvAttrs) {
  const [out, inC, kh, kw] = weight.shape;
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    [kh, kw, inC, out],
    strides,
    [1, 1],
    pad,
    undefined,
    false,
    'channelsLast',
  );
  return { info, g: geometry(info) };
}

/** The native heap when oneDNN's primitives run there, for float32 `tensors`. */
function primitivesHeap(backend: unknown, tensors: tf.TensorInfo[]): NativeHeap | undefined {
  if (tensors.some((t) => t.dtype !== 'float32')) return undefined;
  const heap = nativeHeap(asWasm(backend));
  return heap?.addon.convolutionPrimitives ? heap : undefined;
}

/**
 * Makes `shapes` as outputs and runs `call` on them; the outputs, or undefined (freed) where oneDNN
 * did not take the call.
 */
function run(wasm: WasmBackend, shapes: number[][], call: (outs: tf.TensorInfo[]) => boolean) {
  const outs = shapes.map((shape) => wasm.makeOutput(shape, 'float32'));
  let ok = false;
  try {
    ok = call(outs);
  } finally {
    if (!ok) for (const t of outs) wasm.disposeData(t.dataId);
  }
  return ok ? outs : undefined;
}

/** y = conv(x, weight) + bias: NHWC [N, H', W', out]; undefined where oneDNN does not run it. */
export function nativeConv2dOihw(
  backend: unknown,
  x: tf.TensorInfo,
  weight: tf.TensorInfo,
  bias: tf.TensorInfo | undefined,
  attrs: ConvAttrs,
): tf.TensorInfo | undefined {
  const heap = primitivesHeap(backend, bias ? [x, weight, bias] : [x, weight]);
  const { info, g } = geometryOf(x.shape, weight, attrs);
  if (!heap || !g || (bias && bias.shape.reduce((p, d) => p * d, 1) !== info.outChannels)) return undefined;
  const at = (t: tf.TensorInfo) => heap.offset(t);
  const outs = run(asWasm(backend), [info.outShape], ([y]) =>
    heap.addon.conv2dOihw(heap.buffer(), at(x), at(weight), bias ? at(bias) : 0, bias ? 1 : 0, at(y), ...g),
  );
  return outs?.[0];
}

const gradKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputOf(GRAD, inputs, 'x');
  const weight = inputOf(GRAD, inputs, 'weight');
  const dy = inputOf(GRAD, inputs, 'dy');
  const { hasBias } = attrs as unknown as { hasBias: boolean };
  const heap = primitivesHeap(backend, [x, weight, dy]);
  const { g } = geometryOf(x.shape, weight, attrs as unknown as ConvAttrs);
  if (!heap || !g) throw new Error(`${GRAD}: expected oneDNN's convolutions running, found none`);
  const shapes = hasBias ? [[...weight.shape], [weight.shape[0]]] : [[...weight.shape]];
  const at = (t: tf.TensorInfo) => heap.offset(t);
  const outs = run(asWasm(backend), shapes, ([dw, db]) =>
    heap.addon.conv2dOihwBackwardWeights(
      heap.buffer(),
      at(x),
      at(dy),
      at(dw),
      db ? at(db) : 0,
      db ? 1 : 0,
      ...g,
    ),
  );
  if (!outs) throw new Error(`${GRAD}: oneDNN refused the weight gradient of a convolution it ran forward`);
  return outs;
};

const inputGradKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputOf(INPUT_GRAD, inputs, 'dy');
  const weight = inputOf(INPUT_GRAD, inputs, 'weight');
  const { xShape } = attrs as unknown as { xShape: number[] };
  const heap = primitivesHeap(backend, [dy, weight]);
  const { g } = geometryOf(xShape, weight, attrs as unknown as ConvAttrs);
  if (!heap || !g) throw new Error(`${INPUT_GRAD}: expected oneDNN's convolutions running, found none`);
  const at = (t: tf.TensorInfo) => heap.offset(t);
  const outs = run(asWasm(backend), [xShape], ([dx]) =>
    heap.addon.conv2dOihwBackwardData(heap.buffer(), at(dy), at(weight), at(dx), ...g),
  );
  if (!outs)
    throw new Error(`${INPUT_GRAD}: oneDNN refused the input gradient of a convolution it ran forward`);
  return outs[0];
};

let registered = false;

/**
 * True where the gradients below run for this convolution: WASM in Node with oneDNN's primitives,
 * which take its geometry (their primitives are then built for the calls to come).
 */
export function nativeConvGradientsRun(
  xShape: number[],
  weight: tf.TensorInfo,
  hasBias: boolean,
  attrs: ConvAttrs,
): boolean {
  if (tf.getBackend() !== 'wasm') return false;
  const heap = nativeHeap(tf.backend());
  const { g } = geometryOf(xShape, weight, attrs);
  if (!heap?.addon.convolutionPrimitives || !g) return false;
  const accepts = (kind: number, bias: boolean) =>
    heap.addon.conv2dOihwAccepts(heap.buffer(), kind, bias ? 1 : 0, ...g);
  if (!accepts(1, false) || !accepts(2, hasBias)) return false;
  if (!registered) {
    // Another copy of this package (ESM beside CommonJS) may have registered them already.
    for (const [kernelName, kernelFunc] of [
      [GRAD, gradKernel],
      [INPUT_GRAD, inputGradKernel],
    ] as const)
      if (!tf.getKernel(kernelName, 'wasm'))
        tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    registered = true;
  }
  return true;
}

/** The gradients of weight [out, in, kh, kw] and (with hasBias) of the bias, in one native call. */
export function conv2dOihwGradients(
  x: tf.Tensor4D,
  weight: tf.Tensor,
  dy: tf.Tensor4D,
  hasBias: boolean,
  attrs: ConvAttrs,
): tf.Tensor[] {
  const out = tf
    .engine()
    .runKernel(GRAD, { x, weight, dy }, { ...attrs, hasBias } as unknown as tf.NamedAttrMap);
  return Array.isArray(out) ? out : [out as tf.Tensor];
}

/** The gradient of x [N, H, W, in] for dy, in one native call. */
export function conv2dOihwInputGradient(
  dy: tf.Tensor4D,
  weight: tf.Tensor,
  xShape: number[],
  attrs: ConvAttrs,
): tf.Tensor {
  return tf.engine().runKernel(INPUT_GRAD, { dy, weight }, {
    ...attrs,
    xShape,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}
