import { getKernel, type KernelConfig, registerKernel } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { depthwiseConv2dBackpropFilterConfig } from './depthwise-conv2d-backprop-filter';
import { depthwiseConv2dBackpropInputConfig } from './depthwise-conv2d-backprop-input';
import { registerSimdGradsFlag } from './grad-wasm';
import { registerNativeKernelsFlag } from './native-kernels';
import { registerSharedIdentityFlag } from './shared-identity';
import { registerSimdMatMulFlag } from './simd-matmul';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum';
import { overrideWasmKernels } from './wasm-kernel-overrides';

/** The training kernels tfjs-backend-wasm 4.22 lacks (conv and depthwise-conv weight gradients, embedding gradients). */
export const wasmTrainingKernels: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
  unsortedSegmentSumConfig,
];

/**
 * Registers each kernel the WASM backend does not already have, so a later tfjs that ships its
 * own keeps it. Returns the names registered now. Runs on import of @descent/tensor; the
 * registry is tfjs-core's global one, so it works whether or not the backend has started yet.
 */
export function registerWasmTrainingKernels(): string[] {
  const added: string[] = [];
  for (const config of wasmTrainingKernels) {
    if (getKernel(config.kernelName, config.backendName) != null) continue;
    registerKernel(config);
    added.push(config.kernelName);
  }
  return added;
}

registerSimdGradsFlag();
registerSimdMatMulFlag();
registerNativeKernelsFlag();
registerSharedIdentityFlag();
registerWasmTrainingKernels();
overrideWasmKernels();
