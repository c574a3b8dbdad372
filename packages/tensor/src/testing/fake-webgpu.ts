import * as tf from '@tensorflow/tfjs-core';

/** A stand-in WebGPU backend for tests, from `fakeWebgpuBackend()`. */
export interface FakeWebgpuBackend {
  /** Marks a tensor's values as moved to the "device", as a kernel's first use does. */
  upload(t: tf.Tensor): void;
  /** How many synchronous reads hit device-only values (each one would be a GPU readback). */
  readonly deviceReads: number;
  /** Unregisters the backend and its kernels. Switch away from it first. */
  remove(): void;
}

/**
 * Registers a stand-in for tfjs-backend-webgpu under the name `webgpu`, so code that must not
 * read device memory synchronously can be tested without a GPU. It runs the cpu backend's
 * kernels (so results are real), shows its storage through a WebGPU-style `tensorMap`, and
 * treats uploaded tensors as device-only: a synchronous read of one returns zeros, as
 * tfjs-backend-webgpu does under SwiftShader, and is counted.
 */
export function fakeWebgpuBackend(): FakeWebgpuBackend {
  const uploaded = new Set<object>();
  let deviceReads = 0;
  const cpuFactory = tf.findBackendFactory('cpu');
  if (!cpuFactory)
    throw new Error('fakeWebgpuBackend: expected the cpu backend to be registered, found none');
  for (const kernel of tf.getKernelsForBackend('cpu')) {
    tf.registerKernel({ ...kernel, backendName: 'webgpu' });
  }
  tf.registerBackend('webgpu', () => {
    const backend = cpuFactory() as tf.KernelBackend & {
      data: { has(id: object): boolean; get(id: object): { values?: unknown } };
      tensorMap?: unknown;
    };
    const readSync = backend.readSync.bind(backend);
    backend.tensorMap = {
      has: (id: object) => backend.data.has(id),
      get: (id: object) => (uploaded.has(id) ? { values: null } : backend.data.get(id)),
    };
    backend.readSync = (id: object) => {
      if (!uploaded.has(id)) return readSync(id);
      deviceReads++;
      return new Float32Array((readSync(id) as Float32Array).length);
    };
    return backend;
  });
  return {
    upload: (t) => uploaded.add(t.dataId),
    get deviceReads() {
      return deviceReads;
    },
    remove() {
      for (const kernel of tf.getKernelsForBackend('webgpu'))
        tf.unregisterKernel(kernel.kernelName, 'webgpu');
      tf.removeBackend('webgpu');
    },
  };
}
