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

/** A layer's input and output widths. */
export interface Widths {
  inp: number;
  out: number;
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
export function hiddenOffsets(rows: number, widths: readonly { out: number }[]): number[] {
  const at: number[] = [];
  let floats = 0;
  for (const { out } of widths.slice(0, -1)) {
    at.push(floats * 4);
    floats += rows * out;
  }
  return at;
}

/** Heap byte offsets of a chain's forward pass: x, each weight and bias (0: none), hidden, y. */
export interface ForwardOffsets {
  x: number;
  weights: number[];
  biases: number[];
  hidden: number;
  y: number;
}

/** The chain forward, one native call per layer, on offsets of `heap` (see ForwardOffsets). */
export function forwardLayers(
  heap: NativeHeap,
  attrs: ChainAttrs,
  rows: number,
  widths: readonly Widths[],
  at: ForwardOffsets,
): void {
  const { relu, hasBias } = attrs;
  const layers = relu.length;
  const hidden = hiddenOffsets(rows, widths);
  let from = at.x;
  for (let l = 0; l < layers; l++) {
    const to = l === layers - 1 ? at.y : at.hidden + hidden[l];
    const { inp, out } = widths[l];
    heap.addon.linear(
      heap.buffer(),
      from,
      at.weights[l],
      hasBias[l] ? at.biases[l] : 0,
      hasBias[l] ? 1 : 0,
      relu[l] ? 1 : 0,
      to,
      rows,
      inp,
      out,
    );
    from = to;
  }
}

/**
 * Heap byte offsets of a chain's backward pass: those of its forward, dy, each layer's dW and db
 * (0: no bias), g0 (the first layer's g, where it has a ReLU), and scratch: `below[l]` the
 * gradient at layer l's output for each l under the top (below[0] may be g0 itself), `masked[l]`
 * g of a layer above the first with a ReLU (0 elsewhere).
 */
export interface BackwardOffsets extends ForwardOffsets {
  dy: number;
  dw: number[];
  db: number[];
  g0: number;
  below: number[];
  masked: number[];
}

/**
 * Back through the layers, native calls: linearBackward gives dW, db and g (dy masked by the
 * ReLU); a product g w gives the layer below its dy. With a ReLU, the first layer's g is g0 (which
 * may be its own dy: linearBackward reads each element of dy before it writes g's); above it,
 * masked[l]. Without, g is dy itself. The input's gradient is not computed here.
 */
export function backwardLayers(
  heap: NativeHeap,
  attrs: ChainAttrs,
  rows: number,
  widths: readonly Widths[],
  at: BackwardOffsets,
): void {
  const { relu, hasBias } = attrs;
  const layers = relu.length;
  const hidden = hiddenOffsets(rows, widths);
  const outputOf = (l: number) => (l === layers - 1 ? at.y : at.hidden + hidden[l]);
  const inputOfLayer = (l: number) => (l === 0 ? at.x : at.hidden + hidden[l - 1]);
  for (let l = layers - 1; l >= 0; l--) {
    const { inp, out } = widths[l];
    const d = l === layers - 1 ? at.dy : at.below[l];
    const g = relu[l] ? (l === 0 ? at.g0 : at.masked[l]) : d;
    heap.addon.linearBackward(
      heap.buffer(),
      d,
      inputOfLayer(l),
      outputOf(l),
      g,
      at.dw[l],
      hasBias[l] ? at.db[l] : 0,
      relu[l] ? 1 : 0,
      hasBias[l] ? 1 : 0,
      rows,
      inp,
      out,
    );
    if (l > 0) heap.addon.gemm(heap.buffer(), 0, 0, rows, inp, out, g, at.weights[l], at.below[l - 1]);
  }
}

export const chainForward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const chain = attrs as unknown as ChainAttrs;
  const layers = chain.relu.length;
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
    forwardLayers(heap, chain, rows, widths, {
      x: heap.offset(x),
      weights: widths.map((_, l) => heap.offset(inputOf(name, inputs, `w${l}`))),
      biases: widths.map((_, l) => (chain.hasBias[l] ? heap.offset(inputOf(name, inputs, `b${l}`)) : 0)),
      hidden: hidden ? heap.offset(hidden) : 0,
      y: heap.offset(y),
    });
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
 * no g0: it is dy.) See backwardLayers.
 */
export const chainBackward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const chain = attrs as unknown as ChainAttrs;
  const { relu, hasBias } = chain;
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
  try {
    const dw: tf.TensorInfo[] = [];
    const db: (tf.TensorInfo | undefined)[] = [];
    for (let l = 0; l < layers; l++) {
      dw.push(make([widths[l].out, widths[l].inp]));
      outputs.push(dw[l]);
      db.push(hasBias[l] ? make([widths[l].out]) : undefined);
      if (db[l]) outputs.push(db[l] as tf.TensorInfo);
    }
    const g0 = layers > 1 || relu[0] ? make([rows, widths[0].out]) : undefined;
    if (g0) outputs.push(g0);
    const below = widths.map((w, l) => (l === layers - 1 ? undefined : l === 0 ? g0 : make([rows, w.out])));
    const masked = widths.map((w, l) => (l > 0 && relu[l] ? make([rows, w.out]) : undefined));
    const offset = (t: tf.TensorInfo | undefined) => (t ? heap.offset(t) : 0);
    backwardLayers(heap, chain, rows, widths, {
      x: heap.offset(inputOf(GRAD_KERNEL, inputs, 'x')),
      weights: widths.map((_, l) => heap.offset(inputOf(GRAD_KERNEL, inputs, `w${l}`))),
      biases: [],
      hidden: layers > 1 ? heap.offset(inputOf(GRAD_KERNEL, inputs, 'hidden')) : 0,
      y: heap.offset(inputOf(GRAD_KERNEL, inputs, 'y')),
      dy: heap.offset(dy),
      dw: dw.map(offset),
      db: db.map(offset),
      g0: offset(g0),
      below: below.map(offset),
      masked: masked.map(offset),
    });
    for (const t of made) if (!outputs.includes(t)) wasm.disposeData(t.dataId);
    return outputs.length === 1 ? outputs[0] : outputs;
  } catch (error) {
    for (const t of made) wasm.disposeData(t.dataId);
    throw error;
  }
};
