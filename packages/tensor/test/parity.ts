// Helpers for the WASM kernel tests: run one computation on 'cpu' and on 'wasm' from the same
// host arrays and compare. tfjs's cpu backend is the reference (its kernels are plain loops).
import * as tf from '@tensorflow/tfjs-core';
import { NATIVE_KERNELS_FLAG } from '../src/kernels/native-kernels';
import { Generator } from '../src/random';

/** Seeded standard-normal values, made on the host so both backends see identical inputs. */
export function normals(shape: number[], seed: number): Float32Array {
  const g = new Generator(seed);
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = g.normal();
  return out;
}

/** Runs `fn` with `name` as the active backend, then restores the previous one. */
export async function onBackend<T>(name: string, fn: () => T): Promise<T> {
  const previous = tf.getBackend();
  await tf.setBackend(name);
  try {
    return fn();
  } finally {
    await tf.setBackend(previous);
  }
}

/** `fn`'s output tensors read back as host arrays; every tensor it made is disposed. */
export async function valuesOn(name: string, fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  return onBackend(name, () =>
    tf.tidy(() => fn().map((t) => Float32Array.from(t.dataSync() as ArrayLike<number>))),
  );
}

/** max |a - b| / max |b|: the error relative to the reference's scale (entries may be near 0). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`relativeError: lengths differ (${a.length} vs ${b.length})`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, 1e-12);
}

/** Per-case errors, printed at the end of a file when DESCENT_PARITY_REPORT is set. */
export const parityLog: { label: string; error: number }[] = [];

/**
 * Runs `fn` on wasm and on cpu; returns the largest relative error over its outputs (and logs it).
 * Where descent's native kernels are on, wasm runs twice, with them and without (the WASM kernels
 * a browser runs), so each parity test covers both routes.
 */
export async function wasmVsCpu(label: string, fn: () => tf.Tensor[]): Promise<number> {
  const cpu = await valuesOn('cpu', fn);
  const routes = tf.env().getBool(NATIVE_KERNELS_FLAG) ? [true, false] : [false];
  let worst = 0;
  for (const native of routes) {
    tf.env().set(NATIVE_KERNELS_FLAG, native);
    try {
      const wasm = await valuesOn('wasm', fn);
      if (wasm.length !== cpu.length) throw new Error(`${label}: output counts differ`);
      const error = Math.max(...wasm.map((w, i) => relativeError(w, cpu[i])));
      parityLog.push({ label: `${label}${native ? ' (native)' : ''}`, error });
      worst = Math.max(worst, error);
    } finally {
      tf.env().set(NATIVE_KERNELS_FLAG, routes[0]);
    }
  }
  return worst;
}

export function printParityLog(title: string): void {
  if (!process.env.DESCENT_PARITY_REPORT) return;
  const lines = parityLog.splice(0).map((e) => `  ${e.error.toExponential(2)}  ${e.label}`);
  console.log(`${title}: max |wasm - cpu| / max |cpu|\n${lines.join('\n')}`);
}

/** Sum of elementwise products, in float64: the inner product of two host arrays. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
