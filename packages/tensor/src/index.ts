// tfjs-core first, so that the registrations below patch the engine the app uses.
export * from '@tensorflow/tfjs-core';
export * as tf from '@tensorflow/tfjs-core';

import './register-gradients';
import './kernels/register-wasm-kernels';
import './kernels/register-cpu-kernels';

export {
  type BackendAttempt,
  type BackendInfo,
  type BackendName,
  type BrowserBackendEnvironment,
  type BrowserBackendStart,
  backendLabels,
  browserBackends,
  defaultBackendOrder,
  ensureBackend,
  type InitBackendOptions,
  initBackend,
  type RuntimeInfo,
  runtimeInfo,
  startBrowserBackend,
} from './backend';
export {
  avgPool2dChannelsLast,
  batchNormChannelsLast,
  type ChannelMoments,
  channelMomentsChannelsLast,
  maxPool2dChannelsLast,
  type Pool2dGeometry,
  toChannelsFirst,
  toChannelsLast,
} from './channels-last';
export { checkOptions } from './check-options';
export { argumentError, DescentArgumentError, describe } from './errors';
export { format } from './format';
export {
  type ChainStepResult,
  FUSED_MLP_LIMIT,
  fusedBce,
  fusedCrossEntropy,
  fusedLinear,
  fusedLinearChain,
  fusedMaxPool2d,
  fusedMlp,
  fusedMse,
  fusedRelu,
  LINEAR_CHAIN_LIMIT,
  type LinearLayer,
  type LossReduction,
  linearChainCrossEntropy,
  type MlpStep,
} from './fusion';
export { type GradCheckOptions, type GradCheckResult, gradCheck } from './grad-check';
export { onHostBackend } from './host-backend';
export { gatherRowsTensor } from './host-memory/gather-rows-tensor';
export type { HostValues } from './host-memory/host-memory';
export { valuesView } from './host-memory/values-view';
export { type ConvPad, conv2dChannelsLast } from './kernels/conv2d-channels-last';
export { NATIVE_KERNELS_FLAG, type NativeKernelInfo, nativeKernelInfo } from './kernels/native-kernels';
export { expectNoLeaks, type LeakGuard, leakGuard, TensorLeakError } from './leak-guard';
export { fusedOptimizerStep } from './optimizer-kernels/fused-optimizer-step';
export type { OptimizerHyperparameters } from './optimizer-kernels/optimizer-kernel';
export {
  defaultGenerator,
  Generator,
  manualSeed,
  type RandomSource,
  rand,
  randn,
  toGenerator,
} from './random';
export { readIfResident } from './read-if-resident';
export { classifyGpu, type GpuDescription, type GpuVerdict } from './software-gpu';
export { probeSpeed, type SpeedProbe } from './speed-probe';
export { webgpuAdapterName, webgpuDevice } from './webgpu-device';
