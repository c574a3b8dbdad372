import * as tf from '@tensorflow/tfjs-core';
import { argumentError } from '../errors';
import { nativeHeap } from '../kernels/native-kernels';
import { asWasm, inputOf } from '../kernels/wasm-backend';

/**
 * Max pooling of NHWC images, with the ReLU after it or not, as one native call forward and one
 * back (native/max-pool.c). As tfjs kernels a CNN's pool and ReLU are a MaxPool (XNNPACK), a Relu,
 * and back a MaxPoolGrad and a Relu gradient: four passes over the activations and four taped
 * kernels, where these are two. The values are those of that path (tfjs's cpu backend's rule:
 * the first largest cell of a window, NaN skipped); see max-pool.c. WASM backend in Node with
 * the native kernels only, and windows that do not overlap (a stride at least the window, as
 * PyTorch's MaxPool2d has by default); elsewhere `fusedMaxPool2d` is undefined and the caller
 * runs tfjs's ops.
 */
const POOL = 'DescentMaxPool';
const POOL_GRAD = 'DescentMaxPoolGrad';

/** Window, stride and padding per side, each [height, width], as PyTorch's MaxPool2d takes them. */
interface PoolAttrs {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
  relu: boolean;
}

/** PyTorch's output size (floor mode). */
const outSize = (size: number, k: number, s: number, p: number) => Math.floor((size + 2 * p - k) / s) + 1;

/** The addon's geometry arguments for x [N, H, W, C]: n, h, w, c, oh, ow, fh, fw, sh, sw, top, left, relu. */
function geometry(x: tf.TensorInfo, { kernelSize, stride, padding, relu }: PoolAttrs): number[] {
  const [n, h, w, c] = x.shape;
  const oh = outSize(h, kernelSize[0], stride[0], padding[0]);
  const ow = outSize(w, kernelSize[1], stride[1], padding[1]);
  return [n, h, w, c, oh, ow, ...kernelSize, ...stride, ...padding, relu ? 1 : 0];
}

function heapOf(name: string, backend: unknown) {
  const wasm = asWasm(backend);
  const heap = nativeHeap(wasm);
  if (heap == null) throw new Error(`${name}: expected descent's native kernels running, found none`);
  return { wasm, heap };
}

const forward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { wasm, heap } = heapOf(POOL, backend);
  const x = inputOf(POOL, inputs, 'x');
  const g = geometry(x, attrs as unknown as PoolAttrs);
  const y = wasm.makeOutput([g[0], g[4], g[5], g[3]], 'float32');
  try {
    heap.addon.maxPool(heap.buffer(), heap.offset(x), heap.offset(y), ...g);
    return y;
  } catch (error) {
    wasm.disposeData(y.dataId);
    throw error;
  }
};

const backward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { wasm, heap } = heapOf(POOL_GRAD, backend);
  const x = inputOf(POOL_GRAD, inputs, 'x');
  const dy = inputOf(POOL_GRAD, inputs, 'dy');
  const dx = wasm.makeOutput([...x.shape], 'float32');
  try {
    const g = geometry(x, attrs as unknown as PoolAttrs);
    heap.addon.maxPoolBackward(heap.buffer(), heap.offset(x), heap.offset(dy), heap.offset(dx), ...g);
    return dx;
  } catch (error) {
    wasm.disposeData(dx.dataId);
    throw error;
  }
};

const explicit = ([h, w]: [number, number]) =>
  [
    [0, 0],
    [h, h],
    [w, w],
    [0, 0],
  ] as [[number, number], [number, number], [number, number], [number, number]];

/**
 * The gradient: one native call, or tfjs's ops where the native kernels stopped running between
 * the passes (the pool again, the ReLU's mask, tfjs's MaxPoolGrad).
 */
function gradient(dy: tf.Tensor, x: tf.Tensor4D, attrs: PoolAttrs): tf.Tensor {
  if (nativeHeap(tf.backend()) != null && tf.getBackend() === 'wasm')
    return tf.engine().runKernel(POOL_GRAD, { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  const pad = explicit(attrs.padding);
  const y = tf.maxPool(x, attrs.kernelSize, attrs.stride, pad);
  const masked = attrs.relu ? tf.mul(dy, tf.step(y)) : dy;
  return tf.engine().runKernel('MaxPoolGrad', { dy: masked, input: x, output: y }, {
    filterSize: attrs.kernelSize,
    strides: attrs.stride,
    pad,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

let registered = false;

function register(): void {
  if (registered) return;
  // Another copy of this package (ESM beside CommonJS) may have registered them already.
  if (!tf.getKernel(POOL, 'wasm'))
    tf.registerKernel({ kernelName: POOL, backendName: 'wasm', kernelFunc: forward });
  if (!tf.getKernel(POOL_GRAD, 'wasm'))
    tf.registerKernel({ kernelName: POOL_GRAD, backendName: 'wasm', kernelFunc: backward });
  if (!tf.getGradient(POOL))
    tf.registerGradient({
      kernelName: POOL,
      inputsToSave: ['x'],
      gradFunc: (dy, [x], attrs) => ({
        x: () => gradient(dy as tf.Tensor, x as tf.Tensor4D, attrs as unknown as PoolAttrs),
      }),
    });
  registered = true;
}

const pair = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && v.every((d) => Number.isInteger(d) && d >= 0);

/**
 * relu(maxPool(x)) with `relu`, else maxPool(x), of NHWC x [N, H, W, C] with PyTorch's window,
 * stride and padding (each [height, width]; floor mode), in one native call each way. Undefined,
 * having done nothing, where it does not run: another backend or dtype, no native kernels,
 * windows that overlap, or padding beyond half the window (which PyTorch refuses too).
 */
export function fusedMaxPool2d(
  x: tf.Tensor4D,
  kernelSize: [number, number],
  stride: [number, number],
  padding: [number, number],
  relu: boolean,
): tf.Tensor4D | undefined {
  if (!(x instanceof tf.Tensor) || x.rank !== 4)
    throw argumentError('fusedMaxPool2d: x', 'an NHWC tensor of rank 4', x);
  for (const [name, v] of Object.entries({ kernelSize, stride, padding }))
    if (!pair(v)) throw argumentError(`fusedMaxPool2d: ${name}`, 'two non-negative integers', v);
  if (typeof relu !== 'boolean') throw argumentError('fusedMaxPool2d: relu', 'a boolean', relu);
  const [, h, w] = x.shape;
  const fits =
    kernelSize.every((k, i) => k > 0 && stride[i] >= k && 2 * padding[i] <= k) &&
    h + 2 * padding[0] >= kernelSize[0] &&
    w + 2 * padding[1] >= kernelSize[1];
  if (!fits || x.dtype !== 'float32' || x.isDisposed || tf.getBackend() !== 'wasm') return undefined;
  if (nativeHeap(tf.backend()) == null) return undefined;
  register();
  const attrs: PoolAttrs = { kernelSize, stride, padding, relu };
  return tf.engine().runKernel(POOL, { x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
