import { optimizerSimdBase64 } from './optimizer-simd-binary';

/**
 * The SIMD kernels of wasm/optimizer-step.wat, bound to one WebAssembly memory (tfjs-backend-wasm's
 * heap). Each updates the first `groups` × 4 elements; pointers are byte offsets into that heap.
 */
export interface OptimizerSimd {
  adam(
    p: number,
    g: number,
    m0: number,
    v0: number,
    x0: number,
    out: number,
    m1: number,
    v1: number,
    x1: number,
    groups: number,
    flags: number,
    b1: number,
    c1: number,
    b2: number,
    c2: number,
    stepSize: number,
    bias2: number,
    eps: number,
    wd: number,
    keep: number,
  ): void;
  sgd(
    p: number,
    g: number,
    b0: number,
    out: number,
    b1: number,
    groups: number,
    flags: number,
    lr: number,
    momentum: number,
    damp: number,
    wd: number,
  ): void;
  rmsprop(
    p: number,
    g: number,
    s0: number,
    a0: number,
    u0: number,
    out: number,
    s1: number,
    a1: number,
    u1: number,
    groups: number,
    flags: number,
    lr: number,
    alpha: number,
    c: number,
    eps: number,
    momentum: number,
    wd: number,
  ): void;
}

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, OptimizerSimd>();

function decode(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * The kernels working on `memory`, or undefined where WebAssembly SIMD is unavailable (the
 * caller then runs the same update in JavaScript). The module is 1 KB, so compiling it
 * synchronously is allowed on a browser's main thread too.
 */
export function optimizerSimd(memory: WebAssembly.Memory): OptimizerSimd | undefined {
  const known = instances.get(memory);
  if (known) return known;
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(decode(optimizerSimdBase64) as BufferSource);
    } catch {
      compiled = null;
    }
  }
  if (compiled === null) return undefined;
  try {
    const instance = new WebAssembly.Instance(compiled, { env: { memory } });
    const kernels = instance.exports as unknown as OptimizerSimd;
    instances.set(memory, kernels);
    return kernels;
  } catch {
    return undefined;
  }
}
