import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { argumentError } from '../errors';
import { hostMemory } from '../host-memory/host-memory';
import { adamKernel } from './adam-kernel';
import type {
  BufferViews,
  HeapPointers,
  OptimizerHyperparameters,
  OptimizerKernel,
} from './optimizer-kernel';
import { rmspropKernel } from './rmsprop-kernel';
import { sgdKernel } from './sgd-kernel';

/** The algorithms with a fused step, by the class names of @descent/optim (PyTorch's). */
const KERNELS: Record<string, OptimizerKernel<unknown>> = {
  SGD: sgdKernel as OptimizerKernel<unknown>,
  Adam: adamKernel(false) as OptimizerKernel<unknown>,
  AdamW: adamKernel(true) as OptimizerKernel<unknown>,
  RMSprop: rmspropKernel as OptimizerKernel<unknown>,
};

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Low-level, for @descent/optim's `fused` switch (like PyTorch's `fused=True`): one optimizer
 * step of one parameter as a single op, one pass over the memory of the parameter, its gradient
 * and its state buffers: WebAssembly SIMD on the WASM backend, a float32-rounded JavaScript loop
 * on cpu. The numbers are those of the optimizer's tfjs ops to the bit.
 *
 * `algorithm` is 'SGD', 'Adam', 'AdamW' or 'RMSprop'; `hyper` is `lr` plus the optimizer's
 * `hyperparameters()`; `buffers` is the parameter's state by PyTorch's names (`expAvg`, ...), to
 * which the step adds the buffers it starts; `step` counts this parameter's steps, this one
 * included. Returns false, having changed nothing, where the op does not apply: another
 * algorithm, a GPU backend, or some tensor not in this backend's memory; the caller then runs
 * the tfjs ops.
 *
 * Where no other tensor shares a buffer's memory (the usual case), its new values go over the old
 * ones: no allocation, no tensor made or freed, which is most of a small network's update. So do
 * the parameter's, except on WASM (see `HostMemory.cachesWeights`). A shared one (a snapshot, a
 * clone) gets fresh memory, which then replaces the variable's.
 */
export function fusedOptimizerStep(
  algorithm: string,
  hyper: OptimizerHyperparameters,
  param: Variable,
  grad: Tensor,
  buffers: Map<string, Variable>,
  step: number,
): boolean {
  const kernel = KERNELS[algorithm];
  if (kernel === undefined) return false;
  const h = kernel.read(hyper);
  if (!Number.isInteger(step) || step < 1) throw argumentError('step', 'a positive integer', step);
  if (param.dtype !== 'float32') throw argumentError('param', 'a float32 variable', param);
  if (grad.dtype !== 'float32' || !sameShape(grad.shape, param.shape))
    throw argumentError('grad', `a float32 tensor of shape [${param.shape.join(', ')}]`, grad);
  const memory = hostMemory();
  if (memory === undefined) return false;
  const names = kernel.buffers(h);
  const existing = names.map((name) => buffers.get(name));
  const onHost = (t: Tensor) => memory.view(t) instanceof Float32Array;
  if (!onHost(param) || !onHost(grad) || existing.some((b) => b && !onHost(b))) return false;
  const fresh = (i: number) => existing[i] === undefined;
  // Each kernel reads an element before it writes it, so an output may be its own input.
  const inPlace = (t: Tensor | undefined): t is Tensor => t !== undefined && !memory.shared(t);
  const made: Tensor[] = [];
  const make = () => {
    const t = memory.wrap(memory.alloc(param.shape));
    made.push(t);
    return t;
  };
  const outputs = [memory.cachesWeights ? undefined : param, ...existing].map((t) =>
    inPlace(t) ? t : make(),
  );
  const zeros = names.map((_, i) => (fresh(i) ? make() : undefined));
  try {
    // Views only after the last allocation: an allocation may grow the WASM heap and detach them.
    const view = (t: Tensor) => memory.view(t) as Float32Array;
    const inputs = names.map((_, i) => (existing[i] ?? zeros[i]) as Tensor);
    for (const z of zeros) if (z) view(z).fill(0);
    const size = param.size;
    const simd = memory.simd;
    const done = simd ? size - (size % 4) : 0;
    if (simd && done > 0) {
      const at = simd.offset;
      const pointers: HeapPointers['buffers'] = {};
      names.forEach((name, i) => {
        pointers[name] = { in: at(inputs[i]), out: at(outputs[i + 1]), fresh: fresh(i) };
      });
      const heap = { param: at(param), grad: at(grad), paramOut: at(outputs[0]), buffers: pointers };
      kernel.simd(h, simd.kernels, heap, done / 4, step);
    }
    if (done < size) {
      const tail = (t: Tensor) => view(t).subarray(done);
      const views: Record<string, BufferViews> = {};
      names.forEach((name, i) => {
        views[name] = { in: tail(inputs[i]), out: tail(outputs[i + 1]), fresh: fresh(i) };
      });
      kernel.loop(h, tail(param), tail(grad), tail(outputs[0]), views, step);
    }
    if (outputs[0] !== param) param.assign(outputs[0]);
    names.forEach((name, i) => {
      const b = existing[i];
      if (b === undefined) buffers.set(name, tf.variable(outputs[i + 1], false));
      else if (outputs[i + 1] !== b) b.assign(outputs[i + 1]);
    });
  } finally {
    tf.dispose(made);
  }
  return true;
}
