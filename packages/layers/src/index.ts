export { BatchNorm, type BatchNormOptions } from './batch-norm';
export { BatchNorm1d, type BatchNorm1dOptions } from './batch-norm1d';
export { type CompiledModule, type CompileOptions, compile } from './compile';
export { Dropout, type DropoutOptions } from './dropout';
export { Embedding, type EmbeddingOptions } from './embedding';
export { GELU, type GELUOptions } from './gelu';
export { Identity } from './identity';
export * as init from './init';
export {
  calculateGain,
  computeFans,
  constant,
  type Initializer,
  type KaimingOptions,
  kaimingNormal,
  kaimingUniform,
  type Nonlinearity,
  normal,
  ones,
  uniform,
  type XavierOptions,
  xavierNormal,
  xavierUniform,
  zeros,
} from './init';
export { jsonDepth } from './json-depth';
export { LayerNorm, type LayerNormOptions } from './layer-norm';
export { configOptions, layerOptions } from './layer-options';
export { LeakyReLU, type LeakyReLUOptions } from './leaky-relu';
export { Linear, type LinearOptions } from './linear';
export { type LoadedSafetensors, type LoadSafetensorsOptions, loadSafetensors } from './load-safetensors';
export { type ChannelsLastStep, type Lowering, registerLowering } from './lowering';
export {
  type ForwardHook,
  type ForwardPreHook,
  Module,
  type ModuleConfig,
  type RemovableHandle,
} from './module';
export { ModuleBuffer, type ModuleBufferOptions } from './module-buffer';
export { Parameter, type ParameterOptions } from './parameter';
export { fromConfig, type ModuleFactory, registeredModules, registerModule } from './registry';
export { ReLU } from './relu';
export {
  DEFAULT_SAFETENSORS_LIMITS,
  SafetensorsError,
  type SafetensorsLimits,
} from './safetensors-format';
export { saveSafetensors } from './save-safetensors';
export { type ActivationName, activationNames, type MlpOptions, mlp, Sequential } from './sequential';
export { Sigmoid } from './sigmoid';
export { SiLU } from './silu';
export { Softmax, type SoftmaxOptions } from './softmax';
export { Softplus, type SoftplusOptions } from './softplus';
export type { LoadStateDictOptions, LoadStateDictResult } from './state-dict';
export { Tanh } from './tanh';
