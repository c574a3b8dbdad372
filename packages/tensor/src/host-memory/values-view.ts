import type { Tensor } from '@tensorflow/tfjs-core';
import { type HostValues, hostMemory } from './host-memory';

/**
 * Low-level: a float32 or int32 tensor's values without a copy where the backend keeps them in
 * this thread (the WASM heap, the cpu backend's arrays), else a copy (`dataSync`). For code that
 * reads many large tensors per step (the data-parallel trainer reads about 400 KB of weights and
 * gradients per thread for an MLP; copies of that size kept the garbage collector busy). A view
 * is only good until the next tfjs allocation (the WASM heap may grow), and is read-only: use it
 * at once, and never write to it.
 */
export function valuesView(t: Tensor): HostValues {
  return hostMemory()?.view(t) ?? (t.dataSync() as HostValues);
}
