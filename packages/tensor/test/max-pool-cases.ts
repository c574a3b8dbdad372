// Shared by the MaxPoolGrad tests (JavaScript and SIMD paths): calling the kernel, the cases'
// shape and values, and the gradient each case checks against the cpu backend.
import { tf } from '../src/index';
import type { Pad } from './depthwise-cases';
import { normals, onBackend } from './parity';

/** The kernel called directly, so dy and the input can be chosen freely. */
export function maxPoolGrad(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Record<string, unknown>): tf.Tensor {
  const output = tf.maxPool(x, attrs.filterSize as number, attrs.strides as number, attrs.pad as 'same');
  const dx = tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output }, attrs as tf.NamedAttrMap);
  output.dispose();
  return dx as tf.Tensor;
}

export const onWasm = (fn: () => tf.Tensor) =>
  onBackend('wasm', () => tf.tidy(() => Array.from(fn().dataSync() as Float32Array)));

export type Values = 'normal' | 'negative' | 'ties';

export interface PoolCase {
  label: string;
  x: [number, number, number, number];
  filter: number | [number, number];
  strides: number | [number, number];
  pad: Pad;
  values: Values;
}

/** A row of a case table: label, x's shape, window, strides, padding, the kind of input values. */
export const poolCase = (
  label: string,
  x: PoolCase['x'],
  filter: PoolCase['filter'],
  strides: PoolCase['strides'],
  pad: Pad,
  values: Values,
): PoolCase => ({ label, x, filter, strides, pad, values });

/** normal: N(0,1); negative: every value below -6; ties: small integers, so windows share maxima. */
export function inputValues(c: PoolCase, seed: number): Float32Array {
  const z = normals(c.x, seed);
  if (c.values === 'negative') return z.map((v) => -10 + 0.5 * v);
  if (c.values === 'ties') return z.map((v) => Math.round(v) - 2);
  return z;
}

/** The gradient of sum(maxPool(x) * r) for x: r makes dy a generic tensor. */
export function poolGrad(c: PoolCase, seed: number): () => tf.Tensor[] {
  const xs = inputValues(c, seed);
  const pool = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, c.filter, c.strides, c.pad as 'same');
  return () => {
    const x = tf.tensor4d(xs, c.x);
    const outShape = pool(x).shape;
    const r = tf.tensor(normals(outShape, seed + 1), outShape);
    return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(pool(a), r)))(x)];
  };
}
