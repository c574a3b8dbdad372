import * as tf from '@tensorflow/tfjs-core';
import { argumentError } from '../errors';
import { hostMemory } from '../host-memory/host-memory';
import { nativeHeap } from '../kernels/native-kernels';
import {
  type ChainAttrs,
  chainBackward,
  chainForward,
  chainKernelName,
  GRAD_KERNEL,
  hiddenSize,
} from './linear-chain-kernels';
import { columnSums } from './native-elementwise';

/**
 * Linear layers, each with the ReLU after it or not, as one kernel forward and one back, in
 * descent's native addon (linear-chain-kernels.ts; native/linear.c: each product by oneDNN or
 * OpenBLAS, the bias and ReLU in one pass after it). As tfjs ops each layer is a BatchMatMul, a
 * broadcast Add (about 25 µs on tfjs-backend-wasm 4.22 whatever its size) and a Relu forward, and
 * six kernels back, each taped, and each input a kernel keeps for the backward pass is one more
 * (an Identity). The input's gradient, one product, runs only when the tape asks for it, so a
 * model's first layer never computes the gradient of the data. WASM backend in Node only, where
 * the native kernels run; elsewhere these functions are undefined and the layers run their ops.
 */

/** One layer of a chain: PyTorch's weight [out, in], its bias [out] or null, and whether a ReLU follows. */
export interface LinearLayer {
  weight: tf.Tensor;
  bias: tf.Tensor | null;
  relu: boolean;
}

/** Layers per chain at most: each count is a kernel of its own (what it keeps for the backward pass differs). */
export const LINEAR_CHAIN_LIMIT = 8;

/**
 * The chain's gradients. Kept for it: x, each weight, (two or more layers) the hidden layers'
 * outputs, and y. Where the native kernels run, the weights' and biases' gradients come now, in
 * one call: computed in the backward pass's own scope, they live until it ends, whichever of the
 * functions below the tape calls.
 */
function chainGradient(dys: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: ChainAttrs) {
  const { relu, hasBias } = attrs;
  const layers = relu.length;
  const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor2D;
  const [x, ...rest] = saved;
  const weights = rest.slice(0, layers) as tf.Tensor2D[];
  const [hidden, y] = layers > 1 ? rest.slice(layers) : [undefined, rest[layers]];
  const grads: Record<string, () => tf.Tensor> = {};
  if (tf.getBackend() === 'wasm' && nativeHeap(tf.backend()) != null) {
    const inputs: tf.NamedTensorMap = { dy, x, y };
    if (hidden) inputs.hidden = hidden;
    weights.forEach((w, l) => {
      inputs[`w${l}`] = w;
    });
    const out = tf.engine().runKernel(GRAD_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap);
    const list = Array.isArray(out) ? [...out] : [out as tf.Tensor];
    for (let l = 0; l < layers; l++) {
      const dw = list.shift() as tf.Tensor;
      grads[`w${l}`] = () => dw;
      if (hasBias[l]) {
        const db = list.shift() as tf.Tensor;
        grads[`b${l}`] = () => db;
      }
    }
    const g0 = (list.shift() ?? dy) as tf.Tensor2D;
    grads.x = () => tf.matMul(g0, weights[0]);
    return grads;
  }
  // The same as tfjs ops, where the native kernels stopped running between the passes: back
  // through the layers, ReLU's gradient passing where its output is positive.
  const rows = x.shape[0];
  let start = 0;
  const outputs = weights.map((w, l) => {
    if (l === layers - 1) return y as tf.Tensor2D;
    const size = rows * w.shape[0];
    const h = tf.reshape(tf.slice(hidden as tf.Tensor, [start], [size]), [rows, w.shape[0]]) as tf.Tensor2D;
    start += size;
    return h;
  });
  let d = dy;
  for (let l = layers - 1; l >= 0; l--) {
    const g = relu[l] ? tf.mul(d, tf.step(outputs[l])) : d;
    const input = l === 0 ? (x as tf.Tensor2D) : outputs[l - 1];
    const dw = tf.matMul(g, input, true, false);
    grads[`w${l}`] = () => dw;
    if (hasBias[l]) {
      const db = columnSums(g);
      grads[`b${l}`] = () => db;
    }
    if (l > 0) d = tf.matMul(g, weights[l]);
    else grads.x = () => tf.matMul(g, weights[0]);
  }
  return grads;
}

const registered = new Set<number>();

function register(layers: number): void {
  if (registered.has(layers)) return;
  const name = chainKernelName(layers);
  // Another copy of this package (ESM beside CommonJS) may have registered them already.
  if (!tf.getKernel(name, 'wasm'))
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: chainForward });
  if (!tf.getKernel(GRAD_KERNEL, 'wasm'))
    tf.registerKernel({ kernelName: GRAD_KERNEL, backendName: 'wasm', kernelFunc: chainBackward });
  if (!tf.getGradient(name))
    tf.registerGradient({
      kernelName: name,
      inputsToSave: [
        'x',
        ...Array.from({ length: layers }, (_, l) => `w${l}`),
        ...(layers > 1 ? ['hidden'] : []),
      ],
      outputsToSave: [true],
      gradFunc: (dy, saved, attrs) => chainGradient(dy, saved, attrs as unknown as ChainAttrs),
    });
  registered.add(layers);
}

/**
 * The layers applied to x one after another (x Wᵀ + b, then ReLU where `relu`) as one kernel
 * forward and one back (see above): for float32 x [N, in], weights [out, in] whose widths chain,
 * biases [out] (or null), up to 8 layers, on the WASM backend with descent's native kernels
 * running. Undefined for anything else; the caller then runs the layers' own ops.
 */
export function fusedLinearChain(x: tf.Tensor, layers: readonly LinearLayer[]): tf.Tensor | undefined {
  if (!(x instanceof tf.Tensor)) throw argumentError('fusedLinearChain: x', 'a tensor', x);
  if (!Array.isArray(layers)) throw argumentError('fusedLinearChain: layers', 'an array of layers', layers);
  layers.forEach(({ weight, bias, relu }, l) => {
    const at = `fusedLinearChain: layers[${l}]`;
    if (!(weight instanceof tf.Tensor)) throw argumentError(`${at}.weight`, 'a tensor', weight);
    if (bias !== null && !(bias instanceof tf.Tensor))
      throw argumentError(`${at}.bias`, 'a tensor or null', bias);
    if (typeof relu !== 'boolean') throw argumentError(`${at}.relu`, 'a boolean', relu);
  });
  if (layers.length === 0 || layers.length > LINEAR_CHAIN_LIMIT) return undefined;
  if (x.rank !== 2 || x.dtype !== 'float32' || x.isDisposed) return undefined;
  let width = x.shape[1];
  for (const { weight, bias } of layers) {
    if (weight.rank !== 2 || weight.dtype !== 'float32' || weight.isDisposed || weight.shape[1] !== width)
      return undefined;
    if (
      bias &&
      (bias.rank !== 1 || bias.dtype !== 'float32' || bias.isDisposed || bias.shape[0] !== weight.shape[0])
    )
      return undefined;
    width = weight.shape[0];
  }
  if (tf.getBackend() !== 'wasm' || nativeHeap(tf.backend()) == null) return undefined;
  register(layers.length);
  const inputs: tf.NamedTensorMap = { x };
  layers.forEach(({ weight, bias }, l) => {
    inputs[`w${l}`] = weight;
    if (bias) inputs[`b${l}`] = bias;
  });
  const memory = hostMemory();
  if (memory === undefined) return undefined;
  // The hidden layers' outputs: fresh memory that the kernel fills (see linear-chain-kernels.ts).
  const size = hiddenSize(
    x.shape[0],
    layers.map((l) => ({ out: l.weight.shape[0] })),
  );
  const hidden = layers.length > 1 ? memory.wrap(memory.alloc([size])) : undefined;
  if (hidden) inputs.hidden = hidden;
  const attrs: ChainAttrs = { relu: layers.map((l) => l.relu), hasBias: layers.map((l) => l.bias !== null) };
  try {
    const kernel = chainKernelName(layers.length);
    return tf.engine().runKernel(kernel, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  } finally {
    // The engine keeps its own reference where a tape records the kernel.
    hidden?.dispose();
  }
}

/**
 * x Wᵀ + b, then ReLU when `relu`, as one native kernel: `fusedLinearChain` with one layer, for
 * float32 x [N, in], PyTorch's weight [out, in] and bias [out] (or null). Undefined where that is.
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
  return fusedLinearChain(x, [{ weight, bias, relu }]);
}
