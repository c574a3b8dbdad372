import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { webgpuAdapterName, webgpuDevice } from './webgpu-device';

/** A stand-in registered as 'webgpu': the cpu backend with an adapter and a device attached. */
async function useFakeWebgpu(adapterInfo: object | undefined, device: object | undefined) {
  const cpuFactory = tf.findBackendFactory('cpu');
  if (!cpuFactory) throw new Error('the cpu backend is not registered');
  tf.registerBackend('webgpu', () =>
    Object.assign(cpuFactory() as tf.KernelBackend, { adapterInfo, device }),
  );
  expect(await tf.setBackend('webgpu')).toBe(true);
}

describe('webgpuAdapterName and webgpuDevice', () => {
  afterEach(async () => {
    await tf.setBackend('cpu');
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  });

  it('say nothing on another backend', async () => {
    await initBackend({ backend: 'cpu' });
    expect(webgpuAdapterName()).toBeUndefined();
    expect(webgpuDevice()).toBeNull();
  });

  it("read the WebGPU backend's adapter and device", async () => {
    const device = { lost: Promise.resolve({}) };
    await useFakeWebgpu({ vendor: 'google', architecture: 'swiftshader' }, device);
    expect(webgpuAdapterName()).toBe('google swiftshader');
    expect(webgpuDevice()).toBe(device);
  });

  it('leave out what the browser does not say', async () => {
    await useFakeWebgpu({ vendor: '', architecture: 'swiftshader' }, undefined);
    expect(webgpuAdapterName()).toBe('swiftshader');
    expect(webgpuDevice()).toBeNull();
  });
});
