import type {
  BackendValues,
  DataId,
  DataType,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { env } from '@tensorflow/tfjs-core';

/**
 * The members of tfjs-backend-cpu's `MathBackendCPU` that the kernels here use. Declared
 * structurally because tfjs-core's kernel signature only promises a `KernelBackend`.
 */
export interface CpuBackend {
  data: { get(dataId: DataId): { values?: BackendValues } | undefined };
  makeTensorInfo(shape: number[], dtype: DataType, values?: BackendValues): TensorInfo;
}

export function asCpu(backend: unknown): CpuBackend {
  const b = backend as Partial<CpuBackend> | null;
  if (b == null || typeof b.makeTensorInfo !== 'function' || typeof b.data?.get !== 'function') {
    throw new Error('backend: expected the tfjs cpu backend, found a backend without data/makeTensorInfo');
  }
  return b as CpuBackend;
}

/** A tensor's float32 values on the cpu backend; no copy. */
export function cpuF32(backend: CpuBackend, info: TensorInfo): Float32Array {
  const values = backend.data.get(info.dataId)?.values;
  if (!(values instanceof Float32Array))
    throw new Error(`cpu values: expected a float32 tensor, found ${info.dtype}`);
  return values;
}

/**
 * tfjs environment flag, true by default: `tf.env().set('DESCENT_CPU_KERNELS', false)` sends the
 * cpu kernels replaced here back to tfjs-backend-cpu's own, for comparison (benchmarks, and the
 * tests that take tfjs's plain loops as their reference).
 */
export const CPU_KERNELS_FLAG = 'DESCENT_CPU_KERNELS';

export function registerCpuKernelsFlag(): void {
  env().registerFlag(CPU_KERNELS_FLAG, () => true);
}

export function cpuKernelsOn(): boolean {
  return env().getBool(CPU_KERNELS_FLAG);
}

/** tfjs's own kernel that one of ours replaced, kept to run when the flag is off. */
export class StockKernel {
  private kernel: KernelConfig | undefined;
  constructor(readonly name: string) {}
  keep(kernel: KernelConfig): void {
    this.kernel = kernel;
  }
  run(args: Parameters<KernelFunc>[0]): ReturnType<KernelFunc> {
    if (this.kernel == null) throw new Error(`kernel ${this.name}: tfjs's cpu kernel was not kept`);
    return this.kernel.kernelFunc(args);
  }
}

/** True when no value is NaN or ±Infinity: then a zero factor contributes exactly zero. */
export function allFinite(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) return false;
  }
  return true;
}
