import { argumentError } from '../errors';
import type { OptimizerSimd } from './optimizer-simd';

/**
 * An optimizer's hyperparameters as plain data: `lr` and the rest of what the optimizer's
 * `hyperparameters()` gives (numbers, flags, `betas`), under PyTorch's names in TypeScript casing.
 */
export type OptimizerHyperparameters = Readonly<Record<string, number | boolean | readonly number[]>>;

/**
 * One state buffer in a fused step: `in` holds its values before the step (zeros when the buffer
 * is new, i.e. `fresh`), `out` receives the values after it. Both are flat float32 views, and may
 * be the same memory: each kernel reads an element before it writes it.
 */
export interface BufferViews {
  in: Float32Array;
  out: Float32Array;
  fresh: boolean;
}

/** The same arrays as byte offsets into the WASM heap, for the SIMD kernels. */
export interface HeapPointers {
  param: number;
  grad: number;
  paramOut: number;
  buffers: Record<string, { in: number; out: number; fresh: boolean }>;
}

/**
 * One algorithm's fused update, written twice over flat memory: `loop` in JavaScript, each
 * arithmetic step rounded to float32 (Math.fround) in the order of the optimizer's tfjs ops, and
 * `simd` with the same float32 operations four elements at a time. `H` is the checked
 * hyperparameters.
 */
export interface OptimizerKernel<H> {
  /** Checks and reads the hyperparameters; throws naming the first bad one. */
  read(hyper: OptimizerHyperparameters): H;
  /** The state buffers read and written with these hyperparameters, by PyTorch's names. */
  buffers(h: H): readonly string[];
  /** Reads `param`, `grad` and each buffer's `in`; writes `paramOut` and each buffer's `out`. */
  loop(
    h: H,
    param: Float32Array,
    grad: Float32Array,
    paramOut: Float32Array,
    buffers: Record<string, BufferViews>,
    step: number,
  ): void;
  /** The same update over the first `groups` × 4 elements with the WASM SIMD kernels. */
  simd(h: H, kernels: OptimizerSimd, at: HeapPointers, groups: number, step: number): void;
}

/** The kinds of hyperparameter value: a finite number, true or false, or two finite numbers. */
export type HyperKind = 'number' | 'flag' | 'pair';
type ValueOf<K extends HyperKind> = K extends 'number'
  ? number
  : K extends 'flag'
    ? boolean
    : [number, number];

/** The hyperparameters a schema describes, as their values. */
export type HyperOf<S extends Record<string, HyperKind>> = { [K in keyof S]: ValueOf<S[K]> };

const finiteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const EXPECTED: Record<HyperKind, string> = {
  number: 'a finite number',
  flag: 'true or false',
  pair: 'two finite numbers',
};

/**
 * Checks `hyper` against an algorithm's schema (every key present with its kind of value, no
 * other key) and returns the values; throws naming the first that does not fit.
 */
export function readHyper<S extends Record<string, HyperKind>>(
  hyper: OptimizerHyperparameters,
  algorithm: string,
  schema: S,
): HyperOf<S> {
  if (hyper == null || typeof hyper !== 'object') throw argumentError('hyper', 'an object', hyper);
  const keys = Object.keys(schema);
  for (const key of Object.keys(hyper)) {
    if (!keys.includes(key))
      throw argumentError(`hyper.${key}`, `one of ${algorithm}'s ${keys.join(', ')}`, key);
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = hyper[key];
    const kind = schema[key];
    const fits =
      kind === 'number'
        ? finiteNumber(value)
        : kind === 'flag'
          ? typeof value === 'boolean'
          : Array.isArray(value) && value.length === 2 && value.every(finiteNumber);
    if (!fits) throw argumentError(`hyper.${key}`, `${EXPECTED[kind]} (${algorithm})`, value);
    out[key] = kind === 'pair' ? [...(value as number[])] : value;
  }
  return out as HyperOf<S>;
}
