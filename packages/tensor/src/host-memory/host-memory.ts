import type { Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { nativeAddon } from '../kernels/native-kernels';
import { optimizerNative } from '../optimizer-kernels/optimizer-native';
import { type OptimizerSimd, optimizerSimd } from '../optimizer-kernels/optimizer-simd';

/** The typed arrays tfjs keeps float32 and int32 tensors in. */
export type HostValues = Float32Array | Int32Array;

/**
 * Direct access to tensor memory on the backends that keep it in this process: tfjs's WASM
 * backend (the WASM heap) and its cpu backend (plain typed arrays). The fused optimizer step
 * reads a parameter, its gradient and its state through these views and writes in one pass,
 * instead of a dozen tfjs ops per parameter; `valuesView` reads weights without copying them.
 *
 * A result goes over its input only where no other tensor shares that memory (`shared`);
 * otherwise to freshly allocated memory that `wrap` turns into a tensor.
 */
export interface HostMemory {
  /**
   * A view of `t`'s memory (no copy), or undefined when it is not float32 or int32 data on this
   * backend. Good only until the next tfjs allocation: on WASM that may grow the heap and detach it.
   */
  view(t: Tensor): HostValues | undefined;
  /** Whether another tensor shares `t`'s memory (a clone, a snapshot): then it must not be written. */
  shared(t: Tensor): boolean;
  /**
   * True on WASM: its matmul and convolution keep XNNPACK's packed copy of a weight, keyed by the
   * weight's tensor, so a parameter written in place would go on being read stale. Parameters
   * then get fresh memory; the optimizer's own buffers are still updated in place.
   */
  cachesWeights: boolean;
  /** Allocates (uninitialised) float32 memory of `shape` for an output. */
  alloc(shape: readonly number[]): TensorInfo;
  /** A tensor owning the memory of `info` (from `alloc`). */
  wrap(info: TensorInfo): Tensor;
  /**
   * On the WASM backend: the SIMD optimizer kernels, working on its heap, and each tensor's byte
   * offset there. `kernels` are descent's native ones (optimizer-native.ts) where the native
   * kernels run, else WebAssembly SIMD's; the flag is read at each step. Absent on the cpu backend
   * or without WebAssembly SIMD.
   */
  simd?: { kernels: OptimizerSimd; offset(t: Tensor): number };
}

/** The members of tfjs-backend-wasm 4.22's BackendWasm used here, declared structurally. */
interface WasmBackendLike {
  dataIdMap: {
    has(id: object): boolean;
    get(id: object): { dtype: string; memoryOffset: number } | undefined;
  };
  /** The Emscripten module; `asm.memory` is its WebAssembly.Memory. */
  wasm?: { asm?: { memory?: unknown } };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  refCount(dataId: object): number;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** The members of tfjs-backend-cpu 4.22's MathBackendCPU used here. */
interface CpuBackendLike {
  data: { has(id: object): boolean; get(id: object): { values: unknown; dtype: string } | undefined };
  write(values: Float32Array, shape: number[], dtype: 'float32'): object;
  refCount(dataId: object): number;
}

const isHostValues = (v: unknown): v is HostValues => v instanceof Float32Array || v instanceof Int32Array;

/** `values` when it is the whole of `t` in `t`'s dtype, else undefined. */
function whole(t: Tensor, values: unknown): HostValues | undefined {
  if (!isHostValues(values) || values.length !== t.size) return undefined;
  return (t.dtype === 'float32') === values instanceof Float32Array ? values : undefined;
}

function wasmMemory(backend: WasmBackendLike): HostMemory {
  const heap = backend.wasm?.asm?.memory;
  const wasmKernels =
    typeof WebAssembly !== 'undefined' && heap instanceof WebAssembly.Memory
      ? optimizerSimd(heap)
      : undefined;
  let native: OptimizerSimd | undefined;
  const kernels = () => {
    const addon = nativeAddon();
    // The threaded WASM build shares its memory, which the addon cannot take.
    if (addon == null || !(heap instanceof WebAssembly.Memory) || !(heap.buffer instanceof ArrayBuffer))
      return wasmKernels as OptimizerSimd;
    native ??= optimizerNative(addon, heap);
    return native;
  };
  return {
    simd: wasmKernels && {
      get kernels() {
        return kernels();
      },
      offset: (t) => (backend.dataIdMap.get(t.dataId) as { memoryOffset: number }).memoryOffset,
    },
    view(t) {
      if (backend.dataIdMap.get(t.dataId)?.dtype !== t.dtype) return undefined;
      if (t.dtype !== 'float32' && t.dtype !== 'int32') return undefined;
      return whole(t, backend.typedArrayFromHeap(t));
    },
    shared: (t) => backend.refCount(t.dataId) !== 1,
    cachesWeights: true,
    alloc: (shape) => backend.makeOutput([...shape], 'float32'),
    wrap: (info) => tf.engine().makeTensorFromTensorInfo(info, backend as never),
  };
}

function cpuMemory(backend: CpuBackendLike): HostMemory {
  return {
    view: (t) => whole(t, backend.data.get(t.dataId)?.values),
    shared: (t) => backend.refCount(t.dataId) !== 1,
    cachesWeights: false,
    alloc(shape) {
      const size = shape.reduce((a, b) => a * b, 1);
      return {
        dataId: backend.write(new Float32Array(size), [...shape], 'float32'),
        shape: [...shape],
        dtype: 'float32',
      };
    },
    wrap: (info) => tf.engine().makeTensorFromTensorInfo(info, backend as never),
  };
}

const isWasm = (b: unknown): b is WasmBackendLike =>
  typeof (b as WasmBackendLike).typedArrayFromHeap === 'function' &&
  typeof (b as WasmBackendLike).makeOutput === 'function' &&
  typeof (b as WasmBackendLike).refCount === 'function' &&
  (b as WasmBackendLike).dataIdMap != null;

const isCpu = (b: unknown): b is CpuBackendLike =>
  typeof (b as CpuBackendLike).write === 'function' &&
  typeof (b as CpuBackendLike).refCount === 'function' &&
  (b as CpuBackendLike).data != null &&
  typeof (b as CpuBackendLike).data.get === 'function';

/** One HostMemory per backend object: it is looked up for every parameter of every step. */
const made = new WeakMap<object, HostMemory>();

/**
 * Host memory of the active backend when it is 'wasm' or 'cpu' and looks as tfjs 4.22 builds
 * it; undefined otherwise (GPU backends, or a tfjs whose internals changed), and the caller then
 * falls back to tfjs ops.
 */
export function hostMemory(): HostMemory | undefined {
  const name = tf.getBackend();
  const backend = tf.backend() as unknown as object;
  const known = made.get(backend);
  if (known) return known;
  let memory: HostMemory | undefined;
  if (name === 'wasm' && isWasm(backend)) memory = wasmMemory(backend);
  else if (name === 'cpu' && isCpu(backend)) memory = cpuMemory(backend);
  if (memory) made.set(backend, memory);
  return memory;
}
