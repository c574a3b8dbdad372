import * as tf from '@tensorflow/tfjs-core';
import { argumentError } from '../errors';
import { nativeHeap } from '../kernels/native-kernels';
import { asWasm, inputOf } from '../kernels/wasm-backend';

/**
 * The ReLU and a bias's gradient (column sums) as one native call each on the WASM heap
 * (native/elementwise.c). tfjs's ReLU gradient is a Step, a Cast and a Multiply, three kernels
 * and two passes more; its column sums, a product ones · g (tf.sum would transpose g first),
 * which for a convolution's bias (50,176 rows of 8 channels in a small CNN's first layer) is a
 * matrix-vector product that a matrix-product library does slowly. WASM backend in Node with the
 * native kernels only; `fusedRelu` is undefined elsewhere, and `columnSums` takes the product.
 */
const RELU = 'DescentRelu';
const RELU_GRAD = 'DescentReluGrad';
const COLUMN_SUMS = 'DescentColumnSums';

/** A kernel of one native call over float32 inputs, writing one float32 output of `shape`. */
function nativeKernel(
  name: string,
  names: string[],
  shape: (inputs: tf.TensorInfo[]) => number[],
  call: (
    addon: NonNullable<ReturnType<typeof nativeHeap>>,
    offsets: number[],
    inputs: tf.TensorInfo[],
  ) => void,
): tf.KernelFunc {
  return ({ inputs, backend }) => {
    const ins = names.map((n) => inputOf(name, inputs, n));
    const wasm = asWasm(backend);
    const heap = nativeHeap(wasm);
    if (heap == null) throw new Error(`${name}: expected descent's native kernels running, found none`);
    const out = wasm.makeOutput(shape(ins), 'float32');
    try {
      call(
        heap,
        [...ins, out].map((t) => heap.offset(t)),
        ins,
      );
      return out;
    } catch (error) {
      wasm.disposeData(out.dataId);
      throw error;
    }
  };
}

const size = (t: tf.TensorInfo) => t.shape.reduce((a, b) => a * b, 1);

const kernels: tf.KernelConfig[] = [
  {
    kernelName: RELU,
    backendName: 'wasm',
    kernelFunc: nativeKernel(
      RELU,
      ['x'],
      ([x]) => [...x.shape],
      (heap, [x, y], [xi]) => heap.addon.relu(heap.buffer(), x, y, size(xi)),
    ),
  },
  {
    kernelName: RELU_GRAD,
    backendName: 'wasm',
    kernelFunc: nativeKernel(
      RELU_GRAD,
      ['dy', 'y'],
      ([dy]) => [...dy.shape],
      (heap, [dy, y, dx], [dyi]) => heap.addon.reluBackward(heap.buffer(), dy, y, dx, size(dyi)),
    ),
  },
  {
    kernelName: COLUMN_SUMS,
    backendName: 'wasm',
    kernelFunc: nativeKernel(
      COLUMN_SUMS,
      ['g'],
      ([g]) => [g.shape[1]],
      (heap, [g, sums], [gi]) => heap.addon.columnSums(heap.buffer(), g, sums, gi.shape[0], gi.shape[1]),
    ),
  },
];

const gradients: tf.GradConfig[] = [
  {
    kernelName: RELU,
    outputsToSave: [true],
    gradFunc: (dy, [y]) => ({
      x: () =>
        nativeHeap(tf.backend()) != null
          ? (tf.engine().runKernel(RELU_GRAD, { dy: dy as tf.Tensor, y }) as tf.Tensor)
          : tf.mul(dy as tf.Tensor, tf.step(y)),
    }),
  },
  {
    kernelName: COLUMN_SUMS,
    inputsToSave: ['g'],
    gradFunc: (dy, [g]) => ({ g: () => tf.mul(tf.onesLike(g), tf.reshape(dy as tf.Tensor, [1, -1])) }),
  },
];

let registered = false;

function register(): void {
  if (registered) return;
  // Another copy of this package (ESM beside CommonJS) may have registered them already.
  for (const k of kernels) if (!tf.getKernel(k.kernelName, 'wasm')) tf.registerKernel(k);
  for (const g of gradients) if (!tf.getGradient(g.kernelName)) tf.registerGradient(g);
  registered = true;
}

const runsNative = (t: tf.Tensor) =>
  t.dtype === 'float32' && !t.isDisposed && tf.getBackend() === 'wasm' && nativeHeap(tf.backend()) != null;

/** max(x, 0) as tf.relu, in one native call each way (see above); undefined where that does not run. */
export function fusedRelu(x: tf.Tensor): tf.Tensor | undefined {
  if (!(x instanceof tf.Tensor)) throw argumentError('fusedRelu: x', 'a tensor', x);
  if (!runsNative(x)) return undefined;
  register();
  return tf.engine().runKernel(RELU, { x }) as tf.Tensor;
}

/** The sums of the columns of g [M, C]: [C]. One native call where it runs, else ones[1, M] · g. */
export function columnSums(g: tf.Tensor): tf.Tensor {
  if (!(g instanceof tf.Tensor) || g.rank !== 2) throw argumentError('columnSums: g', 'a 2-D tensor', g);
  if (runsNative(g)) {
    register();
    return tf.engine().runKernel(COLUMN_SUMS, { g }) as tf.Tensor;
  }
  const [m, c] = g.shape;
  return tf.reshape(tf.matMul(tf.ones([1, m]), g), [c]);
}
