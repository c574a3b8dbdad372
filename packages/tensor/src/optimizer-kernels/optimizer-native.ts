import type { NativeAddon } from '../kernels/native-kernels';
import type { OptimizerSimd } from './optimizer-simd';

/**
 * The kernels of wasm/optimizer-step.wat as descent's native addon compiles them
 * (native/optimizer-steps.c): the same arguments and the same float32 operations in the same
 * order, so the same bits, but sixteen elements at a time in AVX-512 (or eight in AVX2) where
 * WebAssembly SIMD does four. Adam's two divisions and square root per element bound its speed:
 * one Adam step over the 784-128-64-10 MLP's 109,386 weights took 66 µs against 315 µs with the
 * WASM kernels (bench/optimizer-step.mjs; bench/RESULTS.md). Bound to one WASM memory; its buffer
 * is read at each call, since growing the heap replaces it.
 */
export function optimizerNative(addon: NativeAddon, memory: WebAssembly.Memory): OptimizerSimd {
  const heap = () => memory.buffer as ArrayBuffer;
  return {
    adam: (...args) => addon.adam(heap(), ...args),
    sgd: (...args) => addon.sgd(heap(), ...args),
    rmsprop: (...args) => addon.rmsprop(heap(), ...args),
  };
}
