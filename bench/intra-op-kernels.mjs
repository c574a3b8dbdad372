// The kernels bench/intra-op-probe.mjs splits over two threads, how each one splits, and the
// worker thread that computes the second half of every call. This file is also that worker's
// entry point: started with `workerData.intraOp`, it runs the loop at the bottom.
//
// Shapes are those of a descent Learner step at batch 64 (read from tf.profile): the MLP
// 784-128-64-10 (Linear keeps PyTorch's [out, in] weight, so forward is x·Wᵀ and the weight
// gradient dyᵀ·x) and the CNN [8,16] on 28×28 MNIST, which @descent/cnn runs channels-last
// (NHWC images, `conv2dChannelsLast` forward, Conv2DBackpropInput for the second convolution's
// input gradient, @descent/tensor's Conv2DBackpropFilter for both filter gradients).

import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { conv2dChannelsLast, initBackend, tf, valuesView } from '@descent/tensor';

const B = 64;
const filterGradient = (x, dy, filterShape) =>
  tf
    .engine()
    .runKernel(
      'Conv2DBackpropFilter',
      { x, dy },
      { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape },
    );

/**
 * Each kernel: its inputs' shapes; `weights`, the inputs a real design keeps in the worker
 * (parameters: they change once per step, not per call); how each input's half is taken
 * (`rows`: the first axis, batch or output rows; `channels`: the last axis; `all`: the whole
 * input); how the two outputs combine (`rows`: stacked, no reduction; `sum`: added, a reduction
 * whose cost is in the two-thread time); and the kernel's key in tf.profile of a Learner step.
 */
export const KERNELS = [
  {
    model: 'mlp',
    name: 'layer 1 forward x·Wᵀ (64×784 · 784×128), batch halves',
    inputs: { x: [B, 784], w: [128, 784] },
    weights: ['w'],
    split: { x: 'rows', w: 'all' },
    out: 'rows',
    op: ({ x, w }) => tf.matMul(x, w, false, true),
    key: 'BatchMatMul [64,784] [128,784]',
  },
  {
    model: 'mlp',
    name: 'layer 1 weight gradient dyᵀ·x (128×64 · 64×784), output-row halves',
    inputs: { dy: [B, 128], x: [B, 784] },
    weights: [],
    split: { dy: 'channels', x: 'all' },
    out: 'rows',
    op: ({ dy, x }) => tf.matMul(dy, x, true, false),
    key: 'BatchMatMul [64,128] [64,784]',
  },
  {
    model: 'mlp',
    name: 'layer 2 forward x·Wᵀ (64×128 · 128×64), batch halves',
    inputs: { x: [B, 128], w: [64, 128] },
    weights: ['w'],
    split: { x: 'rows', w: 'all' },
    out: 'rows',
    op: ({ x, w }) => tf.matMul(x, w, false, true),
    key: 'BatchMatMul [64,128] [64,128]',
  },
  {
    model: 'mlp',
    name: 'layer 2 input gradient dy·W (64×64 · 64×128), batch halves',
    inputs: { dy: [B, 64], w: [64, 128] },
    weights: ['w'],
    split: { dy: 'rows', w: 'all' },
    out: 'rows',
    op: ({ dy, w }) => tf.matMul(dy, w),
    key: 'BatchMatMul [64,64] [64,128]',
  },
  {
    model: 'mlp',
    name: 'layer 2 weight gradient dyᵀ·x (64×64 · 64×128), output-row halves',
    inputs: { dy: [B, 64], x: [B, 128] },
    weights: [],
    split: { dy: 'channels', x: 'all' },
    out: 'rows',
    op: ({ dy, x }) => tf.matMul(dy, x, true, false),
    key: 'BatchMatMul [64,64] [64,128]',
  },
  {
    model: 'cnn',
    name: 'conv 1 forward 1→8, 3×3 same, 28×28, batch halves',
    inputs: { x: [B, 28, 28, 1], w: [8, 1, 3, 3], b: [8] },
    weights: ['w', 'b'],
    split: { x: 'rows', w: 'all', b: 'all' },
    out: 'rows',
    op: ({ x, w, b }) => conv2dChannelsLast(x, w, b, [1, 1], 'same'),
    key: 'DescentConv2dNhwcOihw [64,28,28,1] [8,1,3,3] [8]',
  },
  {
    model: 'cnn',
    name: 'conv 1 filter gradient, batch halves + sum',
    inputs: { x: [B, 28, 28, 1], dy: [B, 28, 28, 8] },
    weights: [],
    split: { x: 'rows', dy: 'rows' },
    out: 'sum',
    op: ({ x, dy }) => filterGradient(x, dy, [3, 3, 1, 8]),
    key: 'Conv2DBackpropFilter [64,28,28,1] [64,28,28,8]',
  },
  {
    model: 'cnn',
    name: 'conv 2 forward 8→16, 3×3 same, 14×14, batch halves',
    inputs: { x: [B, 14, 14, 8], w: [16, 8, 3, 3], b: [16] },
    weights: ['w', 'b'],
    split: { x: 'rows', w: 'all', b: 'all' },
    out: 'rows',
    op: ({ x, w, b }) => conv2dChannelsLast(x, w, b, [1, 1], 'same'),
    key: 'DescentConv2dNhwcOihw [64,14,14,8] [16,8,3,3] [16]',
  },
  {
    model: 'cnn',
    name: 'conv 2 input gradient, batch halves',
    inputs: { dy: [B, 14, 14, 16], f: [3, 3, 8, 16] },
    weights: ['f'],
    split: { dy: 'rows', f: 'all' },
    out: 'rows',
    op: ({ dy, f }) => tf.conv2dTranspose(dy, f, [dy.shape[0], 14, 14, 8], 1, 'same'),
    key: 'Conv2DBackpropInput [64,14,14,16] [3,3,8,16]',
  },
  {
    model: 'cnn',
    name: 'conv 2 filter gradient, batch halves + sum',
    inputs: { x: [B, 14, 14, 8], dy: [B, 14, 14, 16] },
    weights: [],
    split: { x: 'rows', dy: 'rows' },
    out: 'sum',
    op: ({ x, dy }) => filterGradient(x, dy, [3, 3, 8, 16]),
    key: 'Conv2DBackpropFilter [64,14,14,8] [64,14,14,16]',
  },
];

const count = (shape) => shape.reduce((a, b) => a * b, 1);

/** The shape of one half of an input split `how`. */
export function halfShape(shape, how) {
  if (how === 'rows') return [shape[0] / 2, ...shape.slice(1)];
  if (how === 'channels') return [...shape.slice(0, -1), shape.at(-1) / 2];
  return shape;
}

let scratch = new Float32Array(0);

/**
 * Half `h` (0 or 1) of tensor `t` split `how`, as a new tensor: copied straight out of the WASM
 * heap (valuesView) into a reused buffer, then into the tensor. Not tf.slice: on
 * tfjs-backend-wasm 4.22 a slice reads the whole input back into a fresh JavaScript array first
 * (readSync), which took milliseconds for a convolution's input, more than the kernel.
 */
export function halfTensor(t, how, h) {
  if (how === 'all') return t;
  const shape = halfShape(t.shape, how);
  const n = count(shape);
  if (scratch.length < n) scratch = new Float32Array(n);
  copyHalf(scratch, valuesView(t), t.shape, how, h);
  // tf.tensor copies the values into the WASM heap at once, so the buffer can be reused.
  return tf.tensor(scratch.subarray(0, n), shape);
}

/** Copies half `h` of `values` (of `shape`, split `how`) to the start of `dst`. */
export function copyHalf(dst, values, shape, how, h) {
  if (how === 'all') return dst.set(values);
  if (how === 'rows') {
    const len = values.length / 2;
    return dst.set(values.subarray(h * len, (h + 1) * len));
  }
  const c = shape.at(-1);
  const half = c / 2;
  for (let r = 0, n = values.length / c; r < n; r++)
    dst.set(values.subarray(r * c + h * half, r * c + (h + 1) * half), r * half);
}

/** Where the worker's inputs and output sit in the shared data buffer (offsets in floats). */
export function layout(kernel, outSize) {
  const offsets = {};
  let at = 0;
  for (const [name, shape] of Object.entries(kernel.inputs)) {
    offsets[name] = at;
    at += count(halfShape(shape, kernel.split[name]));
  }
  return { offsets, outOffset: at, end: at + outSize };
}

// The control words in the shared Int32Array.
export const REQUEST = 0; // bumped by the main thread per call
export const KERNEL = 1; // which kernel; -1 an empty hand-off, -2 stop
export const SEND_WEIGHTS = 2; // 1: the weights come through shared memory with this call
export const DONE = 3; // set to the request's number when the worker's half is written
export const READY = 4;
export const WORKER_TENTHS_US = 5; // the worker's time for its half, from the request seen to done

/** Waits while array[index] === value: spins up to `spinMs`, then sleeps in Atomics.wait. */
export function waitWhile(array, index, value, spinMs) {
  const end = performance.now() + spinMs;
  while (Atomics.load(array, index) === value) {
    for (let i = 0; i < 200; i++) if (Atomics.load(array, index) !== value) return;
    if (performance.now() > end) Atomics.wait(array, index, value, 100);
  }
}

if (!isMainThread && workerData?.intraOp) {
  await initBackend({ backend: 'wasm' });
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  const { spinMs } = workerData;
  const ctl = new Int32Array(workerData.ctl);
  const data = new Float32Array(workerData.data);
  // The weights, uploaded once (as a real design would keep a step's parameters resident).
  const resident = KERNELS.map((k, i) =>
    Object.fromEntries(k.weights.map((n) => [n, tf.tensor(workerData.weights[i][n], k.inputs[n])])),
  );
  Atomics.store(ctl, READY, 1);
  Atomics.notify(ctl, READY);
  let seen = 0;
  for (;;) {
    waitWhile(ctl, REQUEST, seen, spinMs);
    seen = Atomics.load(ctl, REQUEST);
    const k = Atomics.load(ctl, KERNEL);
    if (k === -2) break;
    const t0 = performance.now();
    if (k >= 0) {
      const kernel = KERNELS[k];
      const { offsets, outOffset } = layout(kernel, 0);
      const sendWeights = Atomics.load(ctl, SEND_WEIGHTS) === 1;
      const fresh = [];
      const inputs = {};
      for (const [name, shape] of Object.entries(kernel.inputs)) {
        if (!sendWeights && kernel.weights.includes(name)) inputs[name] = resident[k][name];
        else {
          const half = halfShape(shape, kernel.split[name]);
          const at = offsets[name];
          // tf.tensor copies the shared values into this thread's WASM heap.
          inputs[name] = tf.tensor(data.subarray(at, at + count(half)), half);
          fresh.push(inputs[name]);
        }
      }
      const y = kernel.op(inputs);
      data.set(valuesView(y), outOffset);
      tf.dispose([y, ...fresh]);
    }
    Atomics.store(ctl, WORKER_TENTHS_US, Math.round((performance.now() - t0) * 1e4));
    Atomics.store(ctl, DONE, seen);
    Atomics.notify(ctl, DONE);
  }
  tf.dispose(resident.flatMap((r) => Object.values(r)));
  parentPort.close();
}
