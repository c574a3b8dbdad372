import * as tf from '@tensorflow/tfjs-core';

/**
 * Backends that cannot read device memory back synchronously: tfjs-backend-webgpu imitates
 * `dataSync()` by drawing the buffer through a canvas, which stalls the GPU queue and on some
 * drivers (SwiftShader among them) returns zeros. A value check inside a training step cannot
 * await, so on these backends it must never trigger that read.
 */
const asyncReadBackends = new Set(['webgpu']);

interface DeviceStorage {
  tensorMap?: { has?(dataId: object): boolean; get?(dataId: object): { values?: unknown } | undefined };
}

/**
 * The tensor's values when they can be read without a synchronous GPU readback, else null (a
 * caller checking values then skips the check). On wasm, cpu and WebGL that is always; on WebGPU
 * while the values still sit on the host: a tensor just made from an array (as a Learner makes
 * each batch's target) keeps them there until a kernel first uses it, and reading them then is an
 * exact, free copy. Found through the backend's own `tensorMap` (tfjs-backend-webgpu 4.x); if
 * that layout ever differs, null, never a GPU read.
 */
export function readIfResident(t: tf.Tensor): ArrayLike<number> | null {
  if (!asyncReadBackends.has(tf.getBackend())) return t.dataSync() as ArrayLike<number>;
  const storage = (tf.backend() as unknown as DeviceStorage).tensorMap;
  if (typeof storage?.has !== 'function' || typeof storage.get !== 'function') return null;
  if (!storage.has(t.dataId)) return null;
  return storage.get(t.dataId)?.values != null ? (t.dataSync() as ArrayLike<number>) : null;
}
