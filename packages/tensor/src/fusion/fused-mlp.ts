import * as tf from '@tensorflow/tfjs-core';
import { onHostBackend } from '../host-backend';
import {
  identityKernel,
  leakyReluKernel,
  reluKernel,
  sigmoidKernel,
  softplusKernel,
  tanhKernel,
} from './activation-kernels';
import type { HostKernel } from './host-kernel';
import { linearKernel } from './linear-kernel';

/**
 * One step of a small MLP, described by what it computes (no layer objects: @descent/tensor knows
 * nothing of @descent/layers). `linear` is x Wᵀ + b with W stored [out, in] as PyTorch does;
 * `softplus` is PyTorch's, x itself where beta x > threshold.
 */
export type MlpStep =
  | { op: 'linear'; weight: tf.Tensor; bias?: tf.Tensor }
  | { op: 'relu' }
  | { op: 'sigmoid' }
  | { op: 'tanh' }
  | { op: 'identity' }
  | { op: 'leakyRelu'; negativeSlope: number }
  | { op: 'softplus'; beta: number; threshold: number };

/**
 * Up to this many multiply-adds per forward pass, a small MLP runs on the host. Above it tfjs's
 * WASM matmul (SIMD, packed weights) wins over plain JavaScript; the crossover was measured in
 * bench/small-nets.mjs (`--crossover`).
 */
export const FUSED_MLP_LIMIT = 49_152;

function kernelOf(step: MlpStep): HostKernel {
  switch (step.op) {
    case 'linear':
      return linearKernel(step.weight, step.bias);
    case 'relu':
      return reluKernel;
    case 'sigmoid':
      return sigmoidKernel;
    case 'tanh':
      return tanhKernel;
    case 'identity':
      return identityKernel;
    case 'leakyRelu':
      return leakyReluKernel(step.negativeSlope);
    case 'softplus':
      return softplusKernel(step.beta, step.threshold);
  }
}

/** A linear step's weight must be a live float32 [out, in] matrix and its bias a matching [out]. */
function usableLinear(step: MlpStep): boolean {
  if (step.op !== 'linear') return true;
  const { weight, bias } = step;
  if (weight.rank !== 2 || weight.dtype !== 'float32' || weight.isDisposed) return false;
  return !bias || (bias.rank === 1 && bias.dtype === 'float32' && bias.shape[0] === weight.shape[0]);
}

/**
 * `steps` applied to `x` as one taped op on the host, when the backend is wasm or cpu, `x` is
 * float32 [N, features] that the steps can take, and the work is at most `limit` multiply-adds:
 * the forward runs in plain JavaScript keeping each step's input, and the backward, which tfjs's
 * autodiff calls like any op's gradient, walks the steps back. Gradients flow to `x` and to every
 * linear step's weight and bias. Undefined when it does not apply; the caller then runs the
 * steps as tfjs ops. The values are those of the ops up to float rounding (sums in float64).
 */
export function fusedMlp(
  steps: readonly MlpStep[],
  x: tf.Tensor,
  limit = FUSED_MLP_LIMIT,
): tf.Tensor | undefined {
  if (steps.length === 0 || x.rank !== 2 || x.dtype !== 'float32' || !onHostBackend()) return undefined;
  const kernels: HostKernel[] = [];
  const [rows, inCols] = x.shape as [number, number];
  const widths = [inCols];
  let work = 0;
  for (const step of steps) {
    if (!usableLinear(step)) return undefined;
    const kernel = kernelOf(step);
    const out = kernel.outCols(widths[widths.length - 1]);
    if (out === undefined) return undefined;
    work += rows * kernel.costPerRow;
    if (work > limit) return undefined;
    kernels.push(kernel);
    widths.push(out);
  }
  const params = kernels.flatMap((k) => k.params);
  const mlpOnHost = (...args: unknown[]) => {
    const inputs = args.slice(0, 1 + params.length) as tf.Tensor[];
    const values = inputs.map((t) => t.dataSync() as Float32Array);
    const stepParams: Float32Array[][] = [];
    let at = 1;
    for (const k of kernels) {
      stepParams.push(values.slice(at, at + k.params.length));
      at += k.params.length;
    }
    // activations[i] is step i's input; the last is the output.
    const activations = [values[0]];
    kernels.forEach((k, i) => {
      activations.push(k.forward(activations[i], rows, widths[i], stepParams[i]));
    });
    const out = widths[widths.length - 1];
    return {
      value: tf.tensor2d(activations[kernels.length], [rows, out]),
      gradFunc: (dy: tf.Tensor) => {
        let grad = dy.dataSync() as Float32Array;
        const paramGrads: Float32Array[][] = [];
        for (let i = kernels.length - 1; i >= 0; i--) {
          const { dx, dParams } = kernels[i].backward(
            grad,
            activations[i],
            activations[i + 1],
            rows,
            widths[i],
            stepParams[i],
          );
          paramGrads[i] = dParams;
          grad = dx;
        }
        const flat = paramGrads.flat();
        return [tf.tensor2d(grad, [rows, inCols]), ...flat.map((g, i) => tf.tensor(g, params[i].shape))];
      },
    };
  };
  return tf.customGrad(mlpOnHost as unknown as Parameters<typeof tf.customGrad>[0])(
    x,
    ...params,
  ) as tf.Tensor;
}
