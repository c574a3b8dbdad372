import * as tf from '@tensorflow/tfjs-core';

const HOST_BACKENDS = new Set(['wasm', 'cpu']);

/**
 * True when the active backend keeps tensors in this process (tfjs's wasm and cpu backends), so
 * that reading a small tensor costs a copy and nothing else. The small-network fast paths run
 * their maths on the host only there; on a GPU backend a read would stall the pipeline.
 */
export function onHostBackend(): boolean {
  return HOST_BACKENDS.has(tf.getBackend());
}
