import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-webgpu's backend object read here, declared structurally. */
interface WebGpuBackendLike {
  adapterInfo?: { vendor?: string; architecture?: string };
  device?: unknown;
}

function webgpuBackend(): WebGpuBackendLike | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return tf.backend() as unknown as WebGpuBackendLike;
}

/**
 * The running WebGPU backend's adapter as "vendor architecture" (e.g. "google swiftshader"),
 * or undefined on another backend or when the browser does not say.
 */
export function webgpuAdapterName(): string | undefined {
  const info = webgpuBackend()?.adapterInfo;
  if (!info) return undefined;
  return [info.vendor, info.architecture].filter(Boolean).join(' ') || undefined;
}

/**
 * The running WebGPU backend's GPUDevice, or null on any other backend. Typed by the caller
 * (`webgpuDevice<GPUDevice>()`), so this package needs no WebGPU types.
 */
export function webgpuDevice<T = unknown>(): T | null {
  return (webgpuBackend()?.device as T | undefined) ?? null;
}
