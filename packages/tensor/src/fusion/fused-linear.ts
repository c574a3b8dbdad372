import * as tf from '@tensorflow/tfjs-core';
import { argumentError } from '../errors';
import { nativeHeap } from '../kernels/native-kernels';
import { asWasm, inputOf } from '../kernels/wasm-backend';

/**
 * One kernel for a Linear layer, and the ReLU after it: y = x Wᵀ + b (then max(y, 0)) with
 * PyTorch's weight [out, in], in a single call of descent's native addon (native/linear.c: the
 * product by oneDNN or OpenBLAS, the bias and ReLU in one pass after it). As tfjs ops the same
 * layer is a BatchMatMul, a broadcast Add (about 25 µs on tfjs-backend-wasm 4.22 whatever its
 * size) and a Relu, each taped. Its gradient is one more call (GRAD_KERNEL, below) for the weight
 * and the bias, where tfjs ops take six; the input's gradient, one product, runs only when the
 * tape asks for it, so a first layer never computes the gradient of the data. WASM backend in
 * Node only, where the native kernels run; `fusedLinear` is undefined elsewhere.
 */
const KERNEL = 'DescentLinear';
const GRAD_KERNEL = 'DescentLinearGrad';

interface LinearAttrs {
  relu: boolean;
  hasBias: boolean;
}

const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputOf(KERNEL, inputs, 'x');
  const weight = inputOf(KERNEL, inputs, 'weight');
  const bias = inputs.bias as tf.TensorInfo | undefined;
  const { relu } = attrs as unknown as LinearAttrs;
  const wasm = asWasm(backend);
  const heap = nativeHeap(wasm);
  if (heap == null) throw new Error(`${KERNEL}: expected descent's native kernels running, found none`);
  const [rows, nIn] = x.shape;
  const nOut = weight.shape[0];
  const y = wasm.makeOutput([rows, nOut], 'float32');
  try {
    heap.addon.linear(
      heap.buffer(),
      heap.offset(x),
      heap.offset(weight),
      bias ? heap.offset(bias) : 0,
      bias ? 1 : 0,
      relu ? 1 : 0,
      heap.offset(y),
      rows,
      nIn,
      nOut,
    );
    return y;
  } catch (error) {
    wasm.disposeData(y.dataId);
    throw error;
  }
};

/**
 * The weight's and bias's gradients of DescentLinear in one native call (linearBackward): from dy
 * [N, out], x and (with relu) y, it gives dW = gᵀ x, db = the column sums of g, and, with relu,
 * g = dy · step(y) itself, for the input's gradient g W.
 */
const gradKernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputOf(GRAD_KERNEL, inputs, 'dy');
  const x = inputOf(GRAD_KERNEL, inputs, 'x');
  const { relu, hasBias } = attrs as unknown as LinearAttrs;
  const y = relu ? inputOf(GRAD_KERNEL, inputs, 'y') : undefined;
  const wasm = asWasm(backend);
  const heap = nativeHeap(wasm);
  if (heap == null) throw new Error(`${GRAD_KERNEL}: expected descent's native kernels running, found none`);
  const [rows, nOut] = dy.shape;
  const nIn = x.shape[1];
  const dw = wasm.makeOutput([nOut, nIn], 'float32');
  const db = hasBias ? wasm.makeOutput([nOut], 'float32') : undefined;
  const g = y ? wasm.makeOutput([rows, nOut], 'float32') : undefined;
  const outputs = [dw, db, g].filter((t): t is tf.TensorInfo => t !== undefined);
  try {
    heap.addon.linearBackward(
      heap.buffer(),
      heap.offset(dy),
      heap.offset(x),
      y ? heap.offset(y) : 0,
      g ? heap.offset(g) : 0,
      heap.offset(dw),
      db ? heap.offset(db) : 0,
      relu ? 1 : 0,
      hasBias ? 1 : 0,
      rows,
      nIn,
      nOut,
    );
    return outputs;
  } catch (error) {
    for (const t of outputs) wasm.disposeData(t.dataId);
    throw error;
  }
};

/** Column sums of g [N, out] as ones[1, N] @ g: one product, where tf.sum would transpose g first. */
function columnSums(g: tf.Tensor): tf.Tensor {
  const [n, out] = g.shape as [number, number];
  return tf.reshape(tf.matMul(tf.ones([1, n]), g), [out]);
}

const gradient: tf.GradConfig = {
  kernelName: KERNEL,
  inputsToSave: ['x', 'weight'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, weight, y] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const dy2 = dy as tf.Tensor2D;
    const { relu, hasBias } = attrs as unknown as LinearAttrs;
    if (tf.getBackend() === 'wasm' && nativeHeap(tf.backend()) != null) {
      // The weight's and bias's gradients now, in one call: computed in this (the backward pass's)
      // scope, they live until the pass ends, whichever of the functions below the tape calls.
      const inputs: tf.NamedTensorMap = relu ? { dy: dy2, x, y } : { dy: dy2, x };
      const [dw, ...rest] = tf.engine().runKernel(GRAD_KERNEL, inputs, {
        relu,
        hasBias,
      } as unknown as tf.NamedAttrMap) as tf.Tensor[];
      const db = hasBias ? rest.shift() : undefined;
      const g = relu ? (rest.shift() as tf.Tensor2D) : dy2;
      return { x: () => tf.matMul(g, weight), weight: () => dw, bias: () => db as tf.Tensor };
    }
    // The same as tfjs ops, where the native kernels stopped running between the passes.
    // ReLU's gradient passes where its output is positive, as where its input was.
    const g = relu ? tf.mul(dy2, tf.step(y)) : dy2;
    return {
      x: () => tf.matMul(g, weight),
      weight: () => tf.matMul(g, x, true, false),
      bias: () => columnSums(g),
    };
  },
};

let registered = false;

function register(): void {
  if (registered) return;
  // Another copy of this package (ESM beside CommonJS) may have registered both already.
  if (!tf.getKernel(KERNEL, 'wasm'))
    tf.registerKernel({ kernelName: KERNEL, backendName: 'wasm', kernelFunc });
  if (!tf.getKernel(GRAD_KERNEL, 'wasm'))
    tf.registerKernel({ kernelName: GRAD_KERNEL, backendName: 'wasm', kernelFunc: gradKernelFunc });
  if (!tf.getGradient(KERNEL)) tf.registerGradient(gradient);
  registered = true;
}

/**
 * x Wᵀ + b, then ReLU when `relu`, as one native kernel (see KERNEL above): for float32 x [N, in],
 * PyTorch's weight [out, in] and bias [out] (or null) on the WASM backend with descent's native
 * kernels running. Undefined for anything else; the caller then runs the layers' own ops.
 */
export function fusedLinear(
  x: tf.Tensor,
  weight: tf.Tensor,
  bias: tf.Tensor | null,
  relu: boolean,
): tf.Tensor | undefined {
  if (!(x instanceof tf.Tensor)) throw argumentError('fusedLinear: x', 'a tensor', x);
  if (!(weight instanceof tf.Tensor)) throw argumentError('fusedLinear: weight', 'a tensor', weight);
  if (bias !== null && !(bias instanceof tf.Tensor))
    throw argumentError('fusedLinear: bias', 'a tensor or null', bias);
  if (typeof relu !== 'boolean') throw argumentError('fusedLinear: relu', 'a boolean', relu);
  const tensors = bias ? [x, weight, bias] : [x, weight];
  if (tensors.some((t) => t.dtype !== 'float32' || t.isDisposed)) return undefined;
  if (x.rank !== 2 || weight.rank !== 2 || x.shape[1] !== weight.shape[1]) return undefined;
  if (bias && (bias.rank !== 1 || bias.shape[0] !== weight.shape[0])) return undefined;
  if (tf.getBackend() !== 'wasm' || nativeHeap(tf.backend()) == null) return undefined;
  register();
  const inputs: tf.NamedTensorMap = bias ? { x, weight, bias } : { x, weight };
  const attrs: LinearAttrs = { relu, hasBias: bias !== null };
  return tf.engine().runKernel(KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}
