import { tf } from '@descent/tensor';

/**
 * Reads a small tensor back to the host. WebGPU only reads asynchronously without a penalty;
 * on the others a synchronous read of a few numbers is quicker than waiting for a fence.
 */
export async function read(t: tf.Tensor): Promise<Float32Array | Int32Array | Uint8Array> {
  if (tf.getBackend() === 'webgpu') return t.data();
  return t.dataSync();
}

/**
 * `n` evenly spaced values from `start` to `stop`, made on the host. (tf.linspace would do, but
 * on WebGPU under SwiftShader a later synchronous read of its result loses the device.)
 */
export function linspace(start: number, stop: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => start + ((stop - start) * i) / (n - 1));
}
