import {
  type KernelConfig,
  type KernelFunc,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
} from '@tensorflow/tfjs-core';
import { asCpu, cpuF32, cpuKernelsOn, StockKernel } from './cpu-backend';
import { maxPoolBackward, poolInfo } from './max-pool-grad';
import { inputOf, requireFloat32 } from './wasm-backend';

export const stockMaxPoolGrad = new StockKernel(MaxPoolGrad);

/**
 * MaxPoolGrad for tfjs's cpu backend, replacing its own, which first builds a whole argmax tensor
 * with a TensorBuffer and then, for every input cell, walks every window that could cover it.
 * Ours is the one pass of `maxPoolBackward` (the WASM backend's JavaScript path), which follows
 * the cpu backend's rule bit for bit; `DESCENT_CPU_KERNELS` false runs tfjs's.
 */
export const cpuMaxPoolGrad: KernelFunc = (args) => {
  if (!cpuKernelsOn()) return stockMaxPoolGrad.run(args);
  const { inputs, backend, attrs } = args;
  const dy = inputOf(MaxPoolGrad, inputs, 'dy');
  const x = inputOf(MaxPoolGrad, inputs, 'input');
  requireFloat32(MaxPoolGrad, 'input', x);
  requireFloat32(MaxPoolGrad, 'dy', dy);
  if (x.shape.length !== 4)
    throw new Error(`${MaxPoolGrad}: input: expected rank 4 (NHWC), found shape [${x.shape.join(', ')}]`);
  const cpu = asCpu(backend);
  const info = poolInfo(
    x.shape as [number, number, number, number],
    dy.shape,
    attrs as unknown as MaxPoolGradAttrs,
  );
  const dx = new Float32Array(x.shape.reduce((a, b) => a * b, 1));
  maxPoolBackward(cpuF32(cpu, x), cpuF32(cpu, dy), dx, info);
  return cpu.makeTensorInfo([...x.shape], 'float32', dx);
};

export const cpuMaxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'cpu',
  kernelFunc: cpuMaxPoolGrad,
};
