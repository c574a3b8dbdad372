import type * as tf from '@tensorflow/tfjs-core';
import { type NativeHeap, nativeHeap } from '../kernels/native-kernels';
import { asWasm, inputOf, type WasmBackend } from '../kernels/wasm-backend';

/**
 * The two WASM-backend kernels behind fused-linear.ts: a chain of Linear layers (each with the ReLU
 * after it, or not) forward in one kernel, and its weight and bias gradients in one more, each a
 * native call per layer (native/linear.c) on the WASM heap. As tfjs ops, each layer is a
 * BatchMatMul, a broadcast Add and a Relu forward, and six kernels back.
 *
 * Inputs are named x, w0, b0, w1, b1, ... (a bias only where `hasBias`), and, for two or more
 * layers, `hidden`: a fresh flat tensor that only this call holds, into which the forward writes
 * every layer's output but the last, one after the other, for the gradient to read. It is an
 * output in all but name: as an input the engine keeps it for the backward pass (one tensor, not
 * one per layer) without making a tensor of zeros as its gradient, which it does for an output
 * that nothing downstream uses. The forward's one output is y.
 */
export interface ChainAttrs {
  relu: boolean[];
  hasBias: boolean[];
}

export const GRAD_KERNEL = 'DescentLinearGrad';

export const chainKernelName = (layers: number) =>
  layers === 1 ? 'DescentLinear' : `DescentLinear${layers}`;

function heapOf(kernel: string, backend: unknown): { wasm: WasmBackend; heap: NativeHeap } {
  const wasm = asWasm(backend);
  const heap = nativeHeap(wasm);
  if (heap == null) throw new Error(`${kernel}: expected descent's native kernels running, found none`);
  return { wasm, heap };
}

/** Each layer's [in, out] widths, from its weight [out, in]. */
const widthsOf = (kernel: string, inputs: tf.NamedTensorInfoMap, layers: number) =>
  Array.from({ length: layers }, (_, l) => {
    const [out, inp] = inputOf(kernel, inputs, `w${l}`).shape;
    return { inp, out };
  });

/** Floats of `hidden`: every layer's output but the last, `rows` rows each. */
export function hiddenSize(rows: number, widths: readonly { out: number }[]): number {
  return widths.slice(0, -1).reduce((sum, w) => sum + rows * w.out, 0);
}

/** Byte offsets in `hidden` of each layer's output but the last, `rows` rows each. */
function hiddenOffsets(rows: number, widths: { out: number }[]): number[] {
  const at: number[] = [];
  let floats = 0;
  for (const { out } of widths.slice(0, -1)) {
    at.push(floats * 4);
    floats += rows * out;
  }
  return at;
}

export const chainForward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { relu, hasBias } = attrs as unknown as ChainAttrs;
  const layers = relu.length;
  const name = chainKernelName(layers);
  const { wasm, heap } = heapOf(name, backend);
  const x = inputOf(name, inputs, 'x');
  const rows = x.shape[0];
  const widths = widthsOf(name, inputs, layers);
  const hidden = layers > 1 ? inputOf(name, inputs, 'hidden') : undefined;
  if (hidden && hidden.shape[0] !== hiddenSize(rows, widths))
    throw new Error(`${name}: hidden: expected ${hiddenSize(rows, widths)} floats, found ${hidden.shape[0]}`);
  const y = wasm.makeOutput([rows, widths[layers - 1].out], 'float32');
  try {
    const at = hiddenOffsets(rows, widths);
    let from = heap.offset(x);
    for (let l = 0; l < layers; l++) {
      const to = l === layers - 1 ? heap.offset(y) : heap.offset(hidden as tf.TensorInfo) + at[l];
      const bias = hasBias[l] ? heap.offset(inputOf(name, inputs, `b${l}`)) : 0;
      const weight = heap.offset(inputOf(name, inputs, `w${l}`));
      const { inp, out } = widths[l];
      heap.addon.linear(
        heap.buffer(),
        from,
        weight,
        bias,
        hasBias[l] ? 1 : 0,
        relu[l] ? 1 : 0,
        to,
        rows,
        inp,
        out,
      );
      from = to;
    }
    return y;
  } catch (error) {
    wasm.disposeData(y.dataId);
    throw error;
  }
};

/**
 * Inputs dy, x, y, hidden (two or more layers) and each w; outputs each layer's dW (then db, where
 * it has a bias), and last g0: the gradient at the first layer's output before its ReLU, from which
 * the input's gradient g0 w0 is computed when the tape asks for it. (One layer without a ReLU has
 * no g0: it is dy.) Back through the layers, native calls: linearBackward gives dW, db and g (dy
 * masked by the ReLU); a product g w gives the layer below its dy.
 */
export const chainBackward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { relu, hasBias } = attrs as unknown as ChainAttrs;
  const layers = relu.length;
  const { wasm, heap } = heapOf(GRAD_KERNEL, backend);
  const dy = inputOf(GRAD_KERNEL, inputs, 'dy');
  const rows = dy.shape[0];
  const widths = widthsOf(GRAD_KERNEL, inputs, layers);
  const made: tf.TensorInfo[] = [];
  const make = (shape: number[]) => {
    const t = wasm.makeOutput(shape, 'float32');
    made.push(t);
    return t;
  };
  const outputs: tf.TensorInfo[] = [];
  const temporaries: tf.TensorInfo[] = [];
  try {
    for (let l = 0; l < layers; l++) {
      outputs.push(make([widths[l].out, widths[l].inp]));
      if (hasBias[l]) outputs.push(make([widths[l].out]));
    }
    const g0 = layers > 1 || relu[0] ? make([rows, widths[0].out]) : undefined;
    if (g0) outputs.push(g0);
    // dy of each layer below the top, and g of each layer above the first with a ReLU.
    const below = widths.map((w, l) => (l === layers - 1 ? dy : l === 0 ? g0 : make([rows, w.out])));
    const masked = widths.map((w, l) => (l > 0 && relu[l] ? make([rows, w.out]) : undefined));
    for (const t of made) if (!outputs.includes(t)) temporaries.push(t);
    const at = hiddenOffsets(rows, widths);
    const hidden = layers > 1 ? heap.offset(inputOf(GRAD_KERNEL, inputs, 'hidden')) : 0;
    const outputOf = (l: number) =>
      l === layers - 1 ? heap.offset(inputOf(GRAD_KERNEL, inputs, 'y')) : hidden + at[l];
    const inputOfLayer = (l: number) =>
      l === 0 ? heap.offset(inputOf(GRAD_KERNEL, inputs, 'x')) : hidden + at[l - 1];
    let next = 0;
    const grads = widths.map((_, l) => {
      const dw = outputs[next++];
      const db = hasBias[l] ? outputs[next++] : undefined;
      return { dw, db };
    });
    for (let l = layers - 1; l >= 0; l--) {
      const { inp, out } = widths[l];
      const d = below[l] as tf.TensorInfo;
      // With a ReLU, the first layer's g is g0 (written over its own dy where that is g0 too:
      // linearBackward reads each element of dy before it writes g's); above it, a buffer of its
      // own. Without, g is dy itself.
      const g = relu[l] ? ((l === 0 ? g0 : masked[l]) as tf.TensorInfo) : d;
      const { dw, db } = grads[l];
      heap.addon.linearBackward(
        heap.buffer(),
        heap.offset(d),
        inputOfLayer(l),
        outputOf(l),
        heap.offset(g),
        heap.offset(dw),
        db ? heap.offset(db) : 0,
        relu[l] ? 1 : 0,
        db ? 1 : 0,
        rows,
        inp,
        out,
      );
      if (l > 0) {
        const weight = heap.offset(inputOf(GRAD_KERNEL, inputs, `w${l}`));
        heap.addon.gemm(
          heap.buffer(),
          0,
          0,
          rows,
          inp,
          out,
          heap.offset(g),
          weight,
          heap.offset(below[l - 1] as tf.TensorInfo),
        );
      }
    }
    for (const t of temporaries) wasm.disposeData(t.dataId);
    return outputs.length === 1 ? outputs[0] : outputs;
  } catch (error) {
    for (const t of made) wasm.disposeData(t.dataId);
    throw error;
  }
};
